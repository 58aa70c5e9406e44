//! The `gotong` binary: parses arguments and hands over to the library.
fn main() -> std::process::ExitCode {
    gotong::cli::main()
}
