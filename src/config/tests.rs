//! Tests of resolving the configuration: precedence, errors, secrets.

use std::fs;

use super::*;
use crate::platform;

fn no_env(_: &str) -> Option<String> {
    None
}

#[test]
fn example_config_parses_with_every_key_known() {
    let parsed: sections::FileConfig = toml::from_str(EXAMPLE).unwrap();
    assert!(
        parsed.database.path.is_none(),
        "the example leaves the path to the default"
    );
}

#[test]
fn unknown_key_names_key_and_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("config.toml");
    fs::write(&file, "[whatsapp]\napi_bsae = \"x\"\n").unwrap();
    let err = Config::load(Some(&file), None, &no_env).unwrap_err();
    let text = format!("{err:#}");
    assert!(text.contains("api_bsae"), "{text}");
    assert!(text.contains(&file.display().to_string()), "{text}");
}

#[test]
fn precedence_flag_env_file_default() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("config.toml");
    fs::write(
        &file,
        "[database]\npath = \"from-file.db\"\n[whatsapp]\napi_base = \"http://file\"\n",
    )
    .unwrap();
    let env = |k: &str| (k == "MOT_WHATSAPP_API_BASE").then(|| "http://env/".to_string());
    let config = Config::load(Some(&file), None, &env).unwrap();
    assert_eq!(config.whatsapp.api_base, "http://env");
    assert_eq!(config.db_path, dir.path().join("from-file.db"));
    assert_eq!(config.whatsapp.api_version, "v23.0");

    // The template too, so the mock recipe needs no config file.
    let env = |k: &str| (k == "MOT_BROADCAST_TEMPLATE").then(|| "mot_notice".to_string());
    let config = Config::load(Some(&file), None, &env).unwrap();
    assert_eq!(config.broadcast.template.as_deref(), Some("mot_notice"));

    let flag = dir.path().join("flag.db");
    let config = Config::load(Some(&file), Some(&flag), &no_env).unwrap();
    assert_eq!(config.db_path, flag);
    assert_eq!(config.whatsapp.api_base, "http://file");
}

#[test]
fn blank_or_short_secrets_are_config_errors_naming_the_variable() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("config.toml");
    fs::write(&file, "").unwrap();
    for (key, value, want) in [
        ("MOT_RELAY_TOKEN", " ", "MOT_RELAY_TOKEN is empty"),
        (
            "MOT_WHATSAPP_APP_SECRET",
            "\t \n",
            "MOT_WHATSAPP_APP_SECRET is empty",
        ),
        (
            "MOT_WEBHOOK_VERIFY_TOKEN",
            "  ",
            "MOT_WEBHOOK_VERIFY_TOKEN is empty",
        ),
        ("MOT_WHATSAPP_TOKEN", " ", "MOT_WHATSAPP_TOKEN is empty"),
        (
            "MOT_RELAY_TOKEN",
            "short-token-15c",
            "MOT_RELAY_TOKEN is too short",
        ),
        (
            "MOT_WHATSAPP_APP_SECRET",
            "  0123456789abcde ",
            "MOT_WHATSAPP_APP_SECRET is too short",
        ),
    ] {
        let env = |k: &str| (k == key).then(|| value.to_string());
        let err = format!("{:#}", Config::load(Some(&file), None, &env).unwrap_err());
        assert!(err.contains(want), "{key}={value:?}: {err}");
        assert!(
            !err.contains("short-token"),
            "the value is never shown: {err}"
        );
    }
    // Meta issues the app secret: the help says where to copy it from, not
    // to choose one; the team chooses the relay token.
    let help = |key: &str| {
        let env = |k: &str| (k == key).then(|| "0123456789".to_string());
        let err = Config::load(Some(&file), None, &env).unwrap_err();
        let failure = err.downcast_ref::<crate::exit::Failure>().unwrap();
        failure.help.clone().unwrap()
    };
    let app = help("MOT_WHATSAPP_APP_SECRET");
    assert!(
        app.contains("Meta issues") && !app.contains("random"),
        "{app}"
    );
    assert!(help("MOT_RELAY_TOKEN").contains("random"));

    let env = |k: &str| (k == "MOT_RELAY_TOKEN").then(|| " 0123456789abcdef ".to_string());
    let config = Config::load(Some(&file), None, &env).unwrap();
    assert_eq!(config.relay.token.unwrap().expose(), "0123456789abcdef");

    // The same rules for a secret read from a file.
    let token = dir.path().join("relay-token");
    crate::platform::write_private_file(&token, b"tooshort\n").unwrap();
    fs::write(&file, "[relay]\ntoken_file = \"relay-token\"\n").unwrap();
    let err = format!(
        "{:#}",
        Config::load(Some(&file), None, &no_env).unwrap_err()
    );
    assert!(err.contains("[relay] token_file is too short"), "{err}");
}

#[test]
fn secret_debug_is_redacted() {
    let s = Secret::new("EAAG-not-a-real-token");
    assert!(!format!("{s:?}").contains("EAAG"));
}

#[test]
fn secret_file_must_be_private() {
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    // Notepad's "UTF-8 with BOM" must not put the BOM in the token.
    fs::write(&token, "\u{feff}abc\r\n").unwrap();
    platform::make_private(&token).unwrap();
    platform::expose(&token).unwrap();
    let file = dir.path().join("config.toml");
    fs::write(&file, "[whatsapp]\ntoken_file = \"token\"\n").unwrap();
    let err = Config::load(Some(&file), None, &no_env).unwrap_err();
    let text = format!("{err:#}");
    assert!(text.contains("other accounts can reach it"), "{text}");

    platform::make_private(&token).unwrap();
    let config = Config::load(Some(&file), None, &no_env).unwrap();
    assert_eq!(config.whatsapp.token.unwrap().expose(), "abc");
}

fn load_error(text: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("config.toml");
    fs::write(&file, text).unwrap();
    format!(
        "{:#}",
        Config::load(Some(&file), None, &no_env).unwrap_err()
    )
}

#[test]
fn config_errors_never_quote_a_pasted_secret() {
    let pasted = "EAAGm0PX4ZCpsBAFakeTokenForTheTest";
    for text in [
        format!("[whatsapp]\ntoken = \"{pasted}\"\n"),
        format!("[whatsapp]\ntoken_file = \"{pasted}\n"),
        format!("[whatsapp]\nphone_number_id = [\"{pasted}\"]\n"),
        format!("{pasted} = 1\n"),
        format!("{pasted}\n"),
    ] {
        let err = load_error(text.as_bytes());
        assert!(!err.contains("EAAG"), "{err}");
        assert!(err.contains("line "), "the position is given: {err}");
    }
    let err = load_error(b"[whatsapp]\ntoken = \"x\"\n");
    assert!(
        err.contains("unknown key `token`") && err.contains("environment"),
        "{err}"
    );
}

#[test]
fn a_file_that_is_not_toml_is_not_echoed() {
    let err = load_error(b"root:x:0:0:root:/root:/bin/bash\n");
    assert!(!err.contains("root:x"), "{err}");
    assert!(err.contains("line 1"), "{err}");
}

#[test]
fn a_key_in_the_wrong_place_says_where_it_goes() {
    let err = load_error(b"template = \"mot_notice\"\n");
    assert!(
        err.contains("did you mean `[broadcast] template`?"),
        "{err}"
    );
    let err = load_error(b"[whatsapp]\nrate_per_second = 5\n");
    assert!(err.contains("`[broadcast] rate_per_second`"), "{err}");
    let err = load_error(b"[broadcast]\ntempalte = \"x\"\n");
    assert!(
        err.contains("unknown key `tempalte`, expected one of `template`"),
        "{err}"
    );
    assert!(!err.contains("one of one of"), "{err}");
}

#[test]
fn wrong_types_say_what_is_expected() {
    let err = load_error(b"[broadcast]\nrate_per_second = \"20\"\n");
    assert!(err.contains("expected a number"), "{err}");
    assert!(!err.contains("f64"), "{err}");
}

#[test]
fn config_that_is_not_a_regular_file_or_too_big_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let err = Config::load(Some(dir.path()), None, &no_env).unwrap_err();
    assert!(format!("{err:#}").contains("not a regular file"), "{err:#}");
    let big = dir.path().join("big.toml");
    let f = fs::File::create(&big).unwrap();
    f.set_len(MAX_CONFIG_BYTES + 1).unwrap();
    let err = Config::load(Some(&big), None, &no_env).unwrap_err();
    assert!(format!("{err:#}").contains("at most"), "{err:#}");
}

#[test]
fn a_bom_from_notepad_is_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("config.toml");
    fs::write(&file, "\u{feff}[whatsapp]\napi_version = \"v24.0\"\n").unwrap();
    let config = Config::load(Some(&file), None, &no_env).unwrap();
    assert_eq!(config.whatsapp.api_version, "v24.0");
}

/// The automatic replies go to members as they are written in the config.
#[test]
fn control_and_bidi_characters_in_automatic_replies_are_refused() {
    for (key, value, char) in [
        ("welcome_reply", "Welcome\\u0007", "U+0007"),
        ("stop_reply", "You have left \\u202e", "U+202E"),
        ("general_reply", "Email us\\u0007", "U+0007"),
        ("patient_data_reply", "Deleted \\u202e", "U+202E"),
    ] {
        let err = load_error(format!("[inbound]\n{key} = \"{value}\"\n").as_bytes());
        assert!(err.contains(key) && err.contains(char), "{err}");
    }
}

/// `[signup]`: the terms are read beside the file and versioned by their
/// text; the lists must fit a WhatsApp list message.
#[test]
fn signup_terms_and_lists_are_read_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("config.toml");
    fs::write(dir.path().join("terms.txt"), "Our terms, version one.\n").unwrap();
    fs::write(
        &file,
        "[signup]\nterms_file = \"terms.txt\"\nroles = [\"GP\", \"Nurse\"]\nauto_approve = true\n",
    )
    .unwrap();
    let one = Config::load(Some(&file), None, &no_env).unwrap().signup;
    assert_eq!(one.terms, "Our terms, version one.");
    assert_eq!(one.roles, ["GP", "Nurse"]);
    assert!(one.guided && one.auto_approve && one.localities.is_empty());
    fs::write(dir.path().join("terms.txt"), "Our terms, version two.\n").unwrap();
    let two = Config::load(Some(&file), None, &no_env).unwrap().signup;
    assert_ne!(one.terms_version, two.terms_version);
    assert_eq!(two.terms_version.len(), 12);
    let defaults = Config::load(Some(&dir.path().join("none.toml")), None, &no_env);
    assert!(defaults.is_err(), "an explicit missing file is an error");

    for (toml, says) in [
        ("[signup]\nterms_file = \"missing.txt\"\n", "cannot read"),
        (
            "[signup]\nroles = [\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\",\"j\"]\n",
            "at most 9",
        ),
        (
            "[signup]\nroles = [\"A role far longer than 24 characters\"]\n",
            "1 to 24",
        ),
        ("[signup]\nlocalities = [\"Leeds\", \"leeds\"]\n", "twice"),
        ("[signup]\nroles = [\"Other\"]\n", "twice"),
        ("[signup]\nguided = \"yes\"\n", "expected true or false"),
    ] {
        let err = load_error(toml.as_bytes());
        assert!(err.contains(says), "{toml}: {err}");
    }
}
