//! The HTTP side of `gotong serve`: the embedded page, the JSON API (docs/serve.md) and the
//! WebSocket of updates.
//!
//! Owns: routes, parsing and checking request bodies, and status codes: every bad request
//! gets a 4xx with `{"error": "..."}` naming what is wrong and what would be valid.
//! Must never: panic on a request, fetch anything from elsewhere, or step the model outside
//! a blocking task (a step may take milliseconds to seconds).

use super::Shared;
use super::session::{MAX_STEPS_PER_REQUEST, SPEEDS, Shock};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;
use tokio::sync::broadcast::error::RecvError;

const INDEX_HTML: &str = include_str!("assets/index.html");
const APP_JS: &str = include_str!("assets/app.js");
const TEXTS_JS: &str = include_str!("assets/texts.js");
const STYLE_CSS: &str = include_str!("assets/style.css");

/// A refused request: status and message.
#[derive(Debug)]
pub struct ApiError(StatusCode, String);

impl ApiError {
    fn bad(message: impl Into<String>) -> ApiError {
        ApiError(StatusCode::BAD_REQUEST, message.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0, axum::Json(json!({ "error": self.1 }))).into_response()
    }
}

type ApiResult = Result<axum::Json<Value>, ApiError>;

/// The routes of the page and the API over `shared`.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/", get(|| async { asset("text/html; charset=utf-8", INDEX_HTML) }))
        .route("/app.js", get(|| async { asset("text/javascript; charset=utf-8", APP_JS) }))
        .route("/texts.js", get(|| async { asset("text/javascript; charset=utf-8", TEXTS_JS) }))
        .route("/style.css", get(|| async { asset("text/css; charset=utf-8", STYLE_CSS) }))
        .route("/api/state", get(state))
        .route("/api/history", get(history))
        .route("/api/network", get(network))
        .route("/api/control", post(control))
        .route("/api/levers", post(levers))
        .route("/api/shock", post(shock))
        .route("/api/updates", get(updates))
        .fallback(|| async { ApiError(StatusCode::NOT_FOUND, "no such page or API route; see docs/serve.md".into()) })
        .method_not_allowed_fallback(|| async {
            ApiError(
                StatusCode::METHOD_NOT_ALLOWED,
                "wrong method: GET /api/state, /api/history, /api/network; POST /api/control, /api/levers, /api/shock".into(),
            )
        })
        .with_state(shared)
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

async fn state(State(shared): State<Arc<Shared>>) -> ApiResult {
    Ok(axum::Json(shared.session().state()))
}

async fn history(State(shared): State<Arc<Shared>>) -> ApiResult {
    Ok(axum::Json(json!(shared.session().history())))
}

async fn network(State(shared): State<Arc<Shared>>) -> ApiResult {
    blocking(shared, |shared| Ok(shared.session().network())).await
}

/// Runs `work` on a blocking thread (stepping, building a world, big JSON).
async fn blocking(
    shared: Arc<Shared>,
    work: impl FnOnce(&Shared) -> Result<Value, ApiError> + Send + 'static,
) -> ApiResult {
    tokio::task::spawn_blocking(move || work(&shared))
        .await
        .map_err(|_| {
            ApiError(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the request failed".into(),
            )
        })?
        .map(axum::Json)
}

/// Parses a JSON request body into `T`, with serde's message on failure.
fn parse<T: serde::de::DeserializeOwned>(body: &Bytes) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError::bad(format!("bad JSON: {e}")))
}

/// `POST /api/control`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ControlRequest {
    /// play, pause, step, reset or speed.
    action: String,
    /// Steps for `step` (1 to [`MAX_STEPS_PER_REQUEST`]); steps per second for `speed`.
    n: Option<u64>,
    /// For `reset`: this seed (0 to 2^63 − 1); else `new_seed` or the same seed.
    seed: Option<u64>,
    /// For `reset`: a new seed, derived from the current one.
    #[serde(default)]
    new_seed: bool,
}

async fn control(State(shared): State<Arc<Shared>>, body: Bytes) -> ApiResult {
    let request: ControlRequest = parse(&body)?;
    let action = request.action.clone();
    blocking(shared, move |shared| {
        let mut session = shared.session();
        match action.as_str() {
            "play" => session.playing = true,
            "pause" => session.playing = false,
            "step" => {
                let n = request.n.unwrap_or(1);
                if n == 0 || n > MAX_STEPS_PER_REQUEST as u64 {
                    return Err(ApiError::bad(format!(
                        "`n` is {n}; a step request runs 1 to {MAX_STEPS_PER_REQUEST} steps"
                    )));
                }
                session.playing = false;
                session.step(n as u32);
            }
            "speed" => {
                let n = request.n.unwrap_or(0);
                if !SPEEDS.contains(&(n.min(u32::MAX as u64) as u32)) {
                    return Err(ApiError::bad(format!(
                        "`n` is {n}; the speed is {} to {} steps per second",
                        SPEEDS.start(),
                        SPEEDS.end()
                    )));
                }
                session.speed = n as u32;
            }
            "reset" => {
                let seed = match request.seed {
                    Some(seed) if seed > i64::MAX as u64 => {
                        return Err(ApiError::bad(format!(
                            "`seed` is {seed}; it must be 0 to 2^63 − 1"
                        )));
                    }
                    Some(seed) => seed,
                    None if request.new_seed => next_seed(session.seed()),
                    None => session.seed(),
                };
                session.reset(seed).map_err(|e| {
                    ApiError(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        format!("reset failed: {e}"),
                    )
                })?;
            }
            other => {
                return Err(ApiError::bad(format!(
                    "unknown action `{other}`; actions: play, pause, step, reset, speed"
                )));
            }
        }
        session.touch();
        shared.publish(&session);
        Ok(session.state())
    })
    .await
}

/// A new seed from `seed`: one step of a 64-bit LCG, kept below 2^63.
fn next_seed(seed: u64) -> u64 {
    (seed
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407))
        >> 1
}

async fn levers(State(shared): State<Arc<Shared>>, body: Bytes) -> ApiResult {
    let changes: Value = parse(&body)?;
    let Value::Object(changes) = changes else {
        return Err(ApiError::bad(
            "send an object of levers, e.g. {\"transparency\": 0.8}",
        ));
    };
    let mut session = shared.session();
    session
        .set_levers(&changes)
        .map_err(|e| ApiError::bad(e.to_string()))?;
    shared.publish(&session);
    Ok(axum::Json(session.state()))
}

/// `POST /api/shock`: exactly one of the keys.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ShockRequest {
    scandal: Option<f64>,
    funding_cut: Option<f64>,
}

async fn shock(State(shared): State<Arc<Shared>>, body: Bytes) -> ApiResult {
    let request: ShockRequest = parse(&body)?;
    let shock = match (request.scandal, request.funding_cut) {
        (Some(drop), None) => Shock::Scandal(drop),
        (None, Some(factor)) => Shock::FundingCut(factor),
        _ => {
            return Err(ApiError::bad(
                "send one shock: {\"scandal\": trust lost, 0 to 1} or {\"funding_cut\": factor kept, 0 to 1}",
            ));
        }
    };
    let mut session = shared.session();
    let at = session
        .shock(shock)
        .map_err(|e| ApiError::bad(e.to_string()))?;
    shared.publish(&session);
    let mut state = session.state();
    state["shock_at"] = json!(at);
    Ok(axum::Json(state))
}

async fn updates(ws: WebSocketUpgrade, State(shared): State<Arc<Shared>>) -> Response {
    ws.on_upgrade(move |socket| listen(socket, shared))
}

/// Sends the current update, then every published one, until the page goes away.
async fn listen(mut socket: WebSocket, shared: Arc<Shared>) {
    let mut published = shared.updates.subscribe();
    let first = shared.session().update().to_string();
    if socket.send(Message::Text(first.into())).await.is_err() {
        return;
    }
    loop {
        tokio::select! {
            update = published.recv() => match update {
                Ok(text) => {
                    if socket.send(Message::Text(text.as_ref().into())).await.is_err() {
                        break;
                    }
                }
                Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => break,
            },
            incoming = socket.recv() => match incoming {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => break,
                Some(Ok(_)) => {}
            },
        }
    }
}
