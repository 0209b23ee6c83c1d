//! Posts a webhook payload to `mot webhook serve`, signed the way Meta signs
//! it, for manual trials: `cargo run --example post_webhook -- --url
//! http://127.0.0.1:8080/webhook --secret test-app-secret FILE` (`-` reads
//! standard input). Or builds Meta's payload itself:
//!
//! ```text
//! post_webhook --from 07700900123 --text "hi" --name "Asha Patel"
//! post_webhook --from 07700900123 --button-reply mot:name:profile
//! post_webhook --from 07700900123 --list-reply mot:role:1 --title "Community pharmacist"
//! ```
//!
//! `--mock URL` also tells the mock Graph API (run with `--enforce-window`)
//! that the person wrote, which opens their 24-hour window. Prints the HTTP
//! status and body it got back, and exits 1 unless the receiver answered 2xx
//! (so a script notices a bad signature).
// clippy.toml's owners are mot's own modules; tests and examples inspect the
// database, read the environment and run mock servers directly.
#![allow(clippy::disallowed_methods)]

#[path = "mock_graph/inbound.rs"]
mod inbound;

use std::io::Read;
use std::path::PathBuf;

use clap::Parser;

/// Sign and POST a webhook payload (X-Hub-Signature-256)
#[derive(Parser)]
struct Args {
    /// The receiver's URL
    #[arg(long, default_value = "http://127.0.0.1:8080/webhook")]
    url: String,
    /// The app secret to sign with (the receiver's MOT_WHATSAPP_APP_SECRET)
    #[arg(long, default_value = "test-app-secret-0001")]
    secret: String,
    /// The JSON payload, e.g. tests/fixtures/webhooks/status_read.json; `-` for stdin
    #[arg(required_unless_present = "from", conflicts_with = "from")]
    file: Option<PathBuf>,
    /// Build the payload: a message from this mobile number (07700 900123, +44…)
    #[arg(long, requires = "what")]
    from: Option<String>,
    /// The message is this text
    #[arg(long, group = "what")]
    text: Option<String>,
    /// The message answers reply buttons with this button id
    #[arg(long, group = "what", value_name = "ID")]
    button_reply: Option<String>,
    /// The message answers a list with this row id
    #[arg(long, group = "what", value_name = "ID")]
    list_reply: Option<String>,
    /// The button's or row's title (default: its id)
    #[arg(long)]
    title: Option<String>,
    /// The sender's WhatsApp profile name
    #[arg(long)]
    name: Option<String>,
    /// The wamid of our message this quotes
    #[arg(long, value_name = "WAMID")]
    quote: Option<String>,
    /// Also tell the mock Graph API at this URL that the person wrote (opens their window)
    #[arg(long, value_name = "URL")]
    mock: Option<String>,
}

/// The payload the arguments describe, and the sender's digits if it was built.
fn payload(args: &Args) -> anyhow::Result<(Vec<u8>, Option<String>)> {
    let Some(from) = &args.from else {
        let file = args.file.as_ref().expect("clap requires FILE or --from");
        let body = if file.as_os_str() == "-" {
            let mut b = Vec::new();
            std::io::stdin().read_to_end(&mut b)?;
            b
        } else {
            std::fs::read(file)?
        };
        return Ok((body, None));
    };
    let digits = &wa_digits(from)?;
    let title = |id: &str| args.title.clone().unwrap_or_else(|| id.to_string());
    let mut message = match (&args.text, &args.button_reply, &args.list_reply) {
        (Some(text), _, _) => inbound::Message::text(digits, text),
        (_, Some(id), _) => inbound::Message::button_reply(digits, id, &title(id)),
        (_, _, Some(id)) => inbound::Message::list_reply(digits, id, &title(id)),
        _ => anyhow::bail!("say what the message is: --text, --button-reply or --list-reply"),
    };
    if let Some(name) = &args.name {
        message = message.named(name);
    }
    if let Some(quote) = &args.quote {
        message = message.quoting(quote);
    }
    Ok((
        serde_json::to_vec(&message.payload())?,
        Some(digits.to_string()),
    ))
}

/// A mobile number as WhatsApp writes it (digits with the country code): a
/// UK national number's leading 0 becomes 44.
fn wa_digits(number: &str) -> anyhow::Result<String> {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    let international = if number.trim_start().starts_with('+') {
        digits
    } else if let Some(national) = digits.strip_prefix('0') {
        format!("44{national}")
    } else {
        digits
    };
    if international.len() < 8 || number.chars().any(|c| c.is_alphabetic()) {
        anyhow::bail!("--from {number:?} is not a mobile number");
    }
    Ok(international)
}

fn main() -> anyhow::Result<std::process::ExitCode> {
    let args = Args::parse();
    let (body, sender) = payload(&args)?;
    let signature = mot::webhook::verify::sign(args.secret.as_bytes(), &body);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let (status, text) = rt.block_on(async {
        let http = reqwest::Client::new();
        if let (Some(mock), Some(digits)) = (&args.mock, &sender) {
            http.post(format!(
                "{}/_mock/customer_wrote",
                mock.trim_end_matches('/')
            ))
            .query(&[("from", digits)])
            .send()
            .await?
            .error_for_status()?;
        }
        let response = http
            .post(&args.url)
            .header("content-type", "application/json")
            .header("x-hub-signature-256", signature)
            .body(body)
            .send()
            .await?;
        let status = response.status();
        Ok::<_, reqwest::Error>((status, response.text().await?))
    })?;
    println!("{status} {text}");
    if status.is_success() {
        Ok(std::process::ExitCode::SUCCESS)
    } else {
        eprintln!("post_webhook: the receiver refused the payload ({status})");
        Ok(std::process::ExitCode::FAILURE)
    }
}
