use std::collections::HashMap;
use std::sync::Arc;

use ordertrack_shared::cache::Caches;
use ordertrack_shared::carriers::CarrierClient;
use ordertrack_shared::domain::Carrier;

use ordertrack_shared::channels::push::PushSender;
use ordertrack_shared::channels::sms::SmsSender;
use ordertrack_shared::channels::EmailSender;
use ordertrack_shared::db::DbPool;
use ordertrack_shared::jobs::Enqueuer;
use ordertrack_shared::links::Signer;
use ordertrack_shared::templates::Renderer;

use crate::config::WorkerConfig;
use crate::in_flight::InFlight;
use crate::send_batches::SendBatches;

/// What every job handler can reach (apalis `Data`).
pub struct JobContext {
    pub config: WorkerConfig,
    pub db: DbPool,
    pub enqueuer: Enqueuer,
    pub email: EmailSender,
    pub sms: SmsSender,
    pub push: PushSender,
    pub renderer: Renderer,
    pub signer: Signer,
    /// API clients of the carriers we poll.
    pub carriers: HashMap<Carrier, CarrierClient>,
    /// The jobs running now (restarts and the shutdown wait for them).
    pub in_flight: Arc<InFlight>,
    /// Active templates (compiled), the workflow and preferences, kept
    /// while this process hears their invalidations (`cache`).
    pub caches: Arc<Caches>,
    /// Claims and recorded sends, grouped across jobs.
    pub send_batches: SendBatches,
}

pub type SharedContext = Arc<JobContext>;
