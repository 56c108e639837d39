//! The mock portal as a program: `bitrix24-mock --port 8080 --deals 10000` (see `--help`).

use clap::Parser;

#[derive(Debug, Parser)]
#[command(
    name = "bitrix24-mock",
    about = "A local Bitrix24 portal built from the spec"
)]
struct Cli {
    #[command(flatten)]
    args: bitrix24_mock::cli::Args,
}

fn main() {
    if let Err(message) = bitrix24_mock::cli::run_blocking(Cli::parse().args) {
        eprintln!("bitrix24-mock: {message}");
        std::process::exit(1);
    }
}
