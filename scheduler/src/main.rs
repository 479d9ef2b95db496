//! `scheduler`: enqueues recurring jobs; run one or several.

use std::process::ExitCode;

use ordertrack_scheduler::config::SchedulerConfig;
use ordertrack_shared::config::load_dotenv;
use tokio::sync::watch;

#[tokio::main]
async fn main() -> ExitCode {
    load_dotenv();
    ordertrack_shared::telemetry::init("info");
    let config = match SchedulerConfig::from_env() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let (stop, shutdown) = watch::channel(false);
    tokio::spawn(async move {
        ordertrack_shared::shutdown::signal().await;
        let _ = stop.send(true);
    });
    match ordertrack_scheduler::run(config, shutdown).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
