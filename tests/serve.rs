//! The JSON API of `gotong serve` over real HTTP on a free port: good requests do what
//! docs/serve.md says, bad ones get a 4xx with a message and the server keeps serving.

use gotong::scenario::load;
use gotong::serve::{self, Server, session::Session};
use serde_json::Value;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};

fn classroom_server() -> Server {
    let scenario = load(Some("classroom"), &[]).expect("preset").scenario;
    let session = Session::new(scenario).expect("world");
    serve::start(session, SocketAddr::from(([127, 0, 0, 1], 0))).expect("server starts")
}

/// Sends one HTTP/1.1 request and returns the status and the body.
fn request(addr: SocketAddr, method: &str, path: &str, body: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).expect("connects");
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response[9..12].parse().expect("status code");
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

fn json(addr: SocketAddr, method: &str, path: &str, body: &str) -> (u16, Value) {
    let (status, body) = request(addr, method, path, body);
    (status, serde_json::from_str(&body).expect("JSON body"))
}

fn error_of(addr: SocketAddr, method: &str, path: &str, body: &str) -> (u16, String) {
    let (status, value) = json(addr, method, path, body);
    let message = value["error"]
        .as_str()
        .expect("an error message")
        .to_string();
    (status, message)
}

#[test]
fn bad_requests_get_4xx_with_a_message_and_the_server_keeps_serving() {
    let server = classroom_server();
    let addr = server.addr;
    let cases = [
        ("POST", "/api/levers", "{not json", 400, "bad JSON"),
        ("POST", "/api/levers", "[1, 2]", 400, "object of levers"),
        ("POST", "/api/levers", "{}", 400, "no lever"),
        (
            "POST",
            "/api/levers",
            r#"{"kindness": 0.5}"#,
            400,
            "not a lever",
        ),
        (
            "POST",
            "/api/levers",
            r#"{"transparncy": 0.5}"#,
            400,
            "Did you mean `policy.transparency`",
        ),
        (
            "POST",
            "/api/levers",
            r#"{"transparency": 1.5}"#,
            400,
            "policy.transparency`: 1.5 is out of range; it must be a number in [0, 1]",
        ),
        (
            "POST",
            "/api/levers",
            r#"{"networking_events": -1}"#,
            400,
            "policy.networking_events`: -1 is out of range",
        ),
        (
            "POST",
            "/api/levers",
            r#"{"transparency": "high"}"#,
            400,
            "transparency",
        ),
        (
            "POST",
            "/api/levers",
            r#"{"transparency": null}"#,
            400,
            "is not a number",
        ),
        (
            "POST",
            "/api/levers",
            r#"{"governance": "anarchy"}"#,
            400,
            "governance",
        ),
        (
            "POST",
            "/api/control",
            r#"{"action": "rewind"}"#,
            400,
            "unknown action `rewind`; actions: play, pause, step, reset",
        ),
        (
            "POST",
            "/api/control",
            r#"{"action": "step", "n": 0}"#,
            400,
            "1 to 1000 steps",
        ),
        (
            "POST",
            "/api/control",
            r#"{"action": "step", "n": 5000}"#,
            400,
            "1 to 1000 steps",
        ),
        (
            "POST",
            "/api/control",
            r#"{"action": "step", "n": -1}"#,
            400,
            "bad JSON",
        ),
        (
            "POST",
            "/api/control",
            r#"{"action": "speed", "n": 99}"#,
            400,
            "1 to 30 steps per second",
        ),
        (
            "POST",
            "/api/control",
            r#"{"action": "reset", "seed": 18446744073709551615}"#,
            400,
            "2^63",
        ),
        (
            "POST",
            "/api/control",
            r#"{"verb": "play"}"#,
            400,
            "bad JSON",
        ),
        ("POST", "/api/control", "", 400, "bad JSON"),
        (
            "POST",
            "/api/shock",
            r#"{"scandal": 2}"#,
            400,
            "`scandal`: 2 is out of range",
        ),
        (
            "POST",
            "/api/shock",
            r#"{"scandal": 0.2, "funding_cut": 0.5}"#,
            400,
            "send one shock",
        ),
        (
            "POST",
            "/api/shock",
            r#"{"earthquake": 1}"#,
            400,
            "bad JSON",
        ),
        ("GET", "/api/nothing", "", 404, "no such page"),
        ("GET", "/api/levers", "", 405, "wrong method"),
        ("DELETE", "/api/state", "", 405, "wrong method"),
    ];
    for (method, path, body, status, expected) in cases {
        let (got, message) = error_of(addr, method, path, body);
        assert_eq!(got, status, "{method} {path} {body}: {message}");
        assert!(
            message.contains(expected),
            "{method} {path} {body}: {message}"
        );
    }
    // Nothing changed, and it still answers.
    let (status, state) = json(addr, "GET", "/api/state", "");
    assert_eq!(status, 200);
    assert_eq!(state["step"], 0);
    assert_eq!(state["levers"]["transparency"], 0.5);
    assert_eq!(state["events"].as_array().unwrap().len(), 0);
    server.stop();
}

#[test]
fn a_school_too_large_to_draw_is_refused_before_it_is_built() {
    let scenario = load(None, &["population.scale=10".into()])
        .expect("valid")
        .scenario;
    assert!(scenario.agent_count() > serve::MAX_AGENTS);
    let error = serve::open(scenario).err().expect("refused");
    assert!(error.is_bad_input());
    assert!(
        error.to_string().contains("too many to draw live"),
        "{error}"
    );
    let default = load(None, &[]).expect("valid").scenario;
    assert!(default.agent_count() <= serve::MAX_AGENTS);
}

#[test]
fn controls_levers_shocks_and_the_network_through_the_api() {
    let server = classroom_server();
    let addr = server.addr;
    let (status, state) = json(
        addr,
        "POST",
        "/api/control",
        r#"{"action": "step", "n": 3}"#,
    );
    assert_eq!((status, state["step"].as_u64()), (200, Some(3)));
    assert_eq!(state["year"], 1);
    assert!(state["metrics"]["cooperation_rate"].is_f64());

    let (status, state) = json(
        addr,
        "POST",
        "/api/levers",
        r#"{"transparency": 0.8, "mediation": 0.25}"#,
    );
    assert_eq!(status, 200);
    assert_eq!(state["levers"]["transparency"], 0.8);
    assert_eq!(state["levers"]["mediation"], 0.25);

    let (status, state) = json(addr, "POST", "/api/shock", r#"{"funding_cut": 0.5}"#);
    assert_eq!((status, state["shock_at"].as_u64()), (200, Some(4)));

    let (_, history) = json(addr, "GET", "/api/history", "");
    assert_eq!(history.as_array().unwrap().len(), 4);
    let (status, network) = json(addr, "GET", "/api/network", "");
    assert_eq!(status, 200);
    let ties = network["ties"].as_array().unwrap();
    assert_eq!(
        ties.len() as u64,
        state["metrics"]["ties"].as_u64().unwrap()
    );
    assert!(network["nodes"][0]["role"].is_string());

    let (_, state) = json(
        addr,
        "POST",
        "/api/control",
        r#"{"action": "reset", "seed": 7}"#,
    );
    assert_eq!(
        (state["step"].as_u64(), state["seed"].as_u64()),
        (Some(0), Some(7))
    );
    assert_eq!(
        state["levers"]["transparency"], 0.5,
        "a reset restores the scenario's levers"
    );
    let (_, state) = json(
        addr,
        "POST",
        "/api/control",
        r#"{"action": "speed", "n": 12}"#,
    );
    assert_eq!(state["speed"], 12);
    let (status, page) = request(addr, "GET", "/", "");
    assert_eq!(status, 200);
    assert!(page.contains("/app.js") && !page.contains("https://"));
    server.stop();
}
