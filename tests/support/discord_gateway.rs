//! The fake Discord's gateway over a websocket: HELLO, IDENTIFY → READY, heartbeats, RESUME with the
//! dispatches missed, INVALID_SESSION, and dispatches with sequence numbers.

use super::{BOT_ID, GUILD, Inner, Out, user};
use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use tokio::sync::mpsc;

pub async fn gateway(State(s): State<Arc<Inner>>, ws: WebSocketUpgrade) -> Response {
    ws.on_upgrade(move |socket| run(s, socket))
}

async fn run(s: Arc<Inner>, mut socket: WebSocket) {
    let conn = s.connections.fetch_add(1, Ordering::SeqCst) + 1;
    s.changed.notify_waiters();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let hello = json!({"op": 10, "d": {"heartbeat_interval": 41250}});
    if socket
        .send(Message::Text(hello.to_string().into()))
        .await
        .is_err()
    {
        return;
    }
    loop {
        tokio::select! {
            out = rx.recv() => match out {
                Some(Out::Frame(f)) => if socket.send(Message::Text(f.into())).await.is_err() { break },
                Some(Out::Close(code)) => {
                    let _ = socket.send(Message::Close(Some(CloseFrame { code, reason: "fake close".into() }))).await;
                    break;
                }
                None => break,
            },
            msg = socket.recv() => match msg {
                Some(Ok(Message::Text(t))) => {
                    let Ok(frame) = serde_json::from_str::<Value>(&t) else { continue };
                    match frame["op"].as_u64() {
                        Some(1) => { let _ = tx.send(Out::Frame(json!({"op": 11}).to_string())); }
                        Some(2) => identify(&s, conn, &tx),
                        Some(6) => resume(&s, conn, &tx, &frame["d"]),
                        _ => {}
                    }
                }
                Some(Ok(_)) => {}
                _ => break,
            },
        }
    }
    let mut current = s.current.lock().unwrap();
    if current.as_ref().is_some_and(|(c, _, _)| *c == conn) {
        *current = None;
    }
    drop(current);
    s.changed.notify_waiters();
}

fn identify(s: &Inner, conn: usize, tx: &mpsc::UnboundedSender<Out>) {
    let n = s.identifies.fetch_add(1, Ordering::SeqCst) + 1;
    let sid = format!("sess-{n}");
    s.sessions
        .lock()
        .unwrap()
        .insert(sid.clone(), Default::default());
    *s.current.lock().unwrap() = Some((conn, sid.clone(), tx.clone()));
    *s.last_session.lock().unwrap() = Some(sid.clone());
    let addr = s.addr.lock().unwrap().clone();
    s.dispatch("READY", json!({"v": 10, "user": user(BOT_ID, "opsdesk", true), "guilds": [{"id": GUILD.to_string(), "unavailable": true}],
        "session_id": sid, "resume_gateway_url": format!("ws://{addr}/gw"), "shard": [0, 1], "application": {"id": BOT_ID.to_string(), "flags": 0}}));
    s.changed.notify_waiters();
}

fn resume(s: &Inner, conn: usize, tx: &mpsc::UnboundedSender<Out>, d: &Value) {
    let (sid, seq) = (
        d["session_id"].as_str().unwrap_or("").to_string(),
        d["seq"].as_u64().unwrap_or(0),
    );
    {
        let mut current = s.current.lock().unwrap();
        let sessions = s.sessions.lock().unwrap();
        let Some(session) = sessions.get(&sid) else {
            let _ = tx.send(Out::Frame(json!({"op": 9, "d": false}).to_string()));
            return;
        };
        s.resumes.fetch_add(1, Ordering::SeqCst);
        for (_, f) in session.log.iter().filter(|(n, _)| *n > seq) {
            let _ = tx.send(Out::Frame(f.clone()));
        }
        *current = Some((conn, sid, tx.clone()));
    }
    s.dispatch("RESUMED", json!({}));
    s.changed.notify_waiters();
}
