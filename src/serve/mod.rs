//! `gotong serve`: a live classroom view of one simulation in the browser.
//!
//! Owns: starting and stopping the server (an axum router on a tokio runtime of its own
//! thread, see [`http`]), the player thread that steps the [`session::Session`] while it
//! plays, and the update channel every open page listens to.
//! Must never: make a request to anywhere but the page's own server (the page, its script,
//! styles and texts are embedded in the binary: classrooms are often offline), print, or
//! hold model logic (the session steps the engine's own schedule).

pub mod http;
pub mod session;

use session::Session;
use std::net::{SocketAddr, TcpListener};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use tokio::sync::broadcast;

/// Largest scenario served, in agents: the page draws every agent and tie after every
/// step, which is meant for a classroom (hundreds to a few thousand agents), not for
/// `large_school` and beyond.
pub const MAX_AGENTS: usize = 5_000;

/// Why the server did not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(
        "{agents} agents are too many to draw live (at most {MAX_AGENTS}); use `gotong run` for large schools, or a smaller population (e.g. --set population.scale=0.5)"
    )]
    TooLarge { agents: usize },
    #[error("cannot build the simulation: {0}")]
    Setup(#[from] crate::model::setup::SetupError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot start the server: {0}")]
    Runtime(std::io::Error),
}

impl ServeError {
    /// Whether the user's input is at fault (a port in use or not allowed).
    pub fn is_bad_input(&self) -> bool {
        matches!(self, ServeError::Bind { .. } | ServeError::TooLarge { .. })
    }
}

/// A session of `scenario` (validated), if it is small enough to draw live
/// ([`MAX_AGENTS`]).
pub fn open(scenario: crate::scenario::Scenario) -> Result<Session, ServeError> {
    let agents = scenario.agent_count();
    if agents > MAX_AGENTS {
        return Err(ServeError::TooLarge { agents });
    }
    Ok(Session::new(scenario)?)
}

/// What the handlers and the player thread share.
pub struct Shared {
    session: Mutex<Session>,
    /// Every update as JSON text; each open page's socket subscribes.
    updates: broadcast::Sender<Arc<str>>,
    stop: AtomicBool,
}

impl Shared {
    /// The session, locked (a panic while it was held leaves it usable: the world is then
    /// whatever the step left, which a reset replaces).
    pub fn session(&self) -> MutexGuard<'_, Session> {
        self.session.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Sends the session's current update to every open page (none listening is fine).
    pub fn publish(&self, session: &Session) {
        let _ = self.updates.send(Arc::from(session.update().to_string()));
    }
}

/// A running server; [`Server::stop`] ends it.
pub struct Server {
    /// Where it listens.
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    threads: Vec<JoinHandle<()>>,
}

/// Starts serving `session` on `addr` (port 0: any free port; see [`Server::addr`]).
pub fn start(session: Session, addr: SocketAddr) -> Result<Server, ServeError> {
    let listener = TcpListener::bind(addr).map_err(|source| ServeError::Bind { addr, source })?;
    let addr = listener
        .local_addr()
        .map_err(|source| ServeError::Bind { addr, source })?;
    listener
        .set_nonblocking(true)
        .map_err(ServeError::Runtime)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    let (updates, _) = broadcast::channel(16);
    let shared = Arc::new(Shared {
        session: Mutex::new(session),
        updates,
        stop: AtomicBool::new(false),
    });
    let (shutdown, shutdown_signal) = tokio::sync::oneshot::channel::<()>();
    let router = http::router(shared.clone());
    let server_thread = std::thread::Builder::new()
        .name("gotong-serve".into())
        .spawn(move || {
            runtime.block_on(async move {
                let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                    return;
                };
                let _ = axum::serve(listener, router)
                    .with_graceful_shutdown(async {
                        let _ = shutdown_signal.await;
                    })
                    .await;
            });
        })
        .map_err(ServeError::Runtime)?;
    let player_shared = shared.clone();
    let player = std::thread::Builder::new()
        .name("gotong-player".into())
        .spawn(move || play(&player_shared))
        .map_err(ServeError::Runtime)?;
    Ok(Server {
        addr,
        shared,
        shutdown: Some(shutdown),
        threads: vec![server_thread, player],
    })
}

impl Server {
    /// The session and update channel the server serves.
    pub fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    /// Stops the player and the server (open pages are disconnected) and waits for both.
    pub fn stop(mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

/// The player: while the session plays, one step every 1/speed seconds, each published.
fn play(shared: &Shared) {
    let mut next = Instant::now();
    while !shared.stop.load(Ordering::Relaxed) {
        let now = Instant::now();
        if now < next {
            std::thread::sleep((next - now).min(Duration::from_millis(50)));
            continue;
        }
        let mut session = shared.session();
        if session.playing {
            session.step(1);
            shared.publish(&session);
            next = Instant::now() + Duration::from_secs_f64(1.0 / session.speed.max(1) as f64);
        } else {
            next = Instant::now() + Duration::from_millis(50);
        }
    }
}
