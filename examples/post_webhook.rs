//! Posts a webhook payload to `mot webhook serve`, signed the way Meta signs
//! it, for manual trials: `cargo run --example post_webhook -- --url
//! http://127.0.0.1:8080/webhook --secret test-app-secret FILE` (`-` reads
//! standard input). Prints the HTTP status and body it got back, and exits 1
//! unless the receiver answered 2xx (so a script notices a bad signature).
// clippy.toml's owners are mot's own modules; tests and examples inspect the
// database, read the environment and run mock servers directly.
#![allow(clippy::disallowed_methods)]

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
    file: PathBuf,
}

fn main() -> anyhow::Result<std::process::ExitCode> {
    let args = Args::parse();
    let body = if args.file.as_os_str() == "-" {
        let mut b = Vec::new();
        std::io::stdin().read_to_end(&mut b)?;
        b
    } else {
        std::fs::read(&args.file)?
    };
    let signature = mot::webhook::verify::sign(args.secret.as_bytes(), &body);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let (status, text) = rt.block_on(async {
        let response = reqwest::Client::new()
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
