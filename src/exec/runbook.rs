//! Runbooks: an allow-listed program with a fixed argv from config, no shell, a timeout, and its output
//! captured. Nothing a user typed ever reaches the command line.

use super::{Executed, tail};
use crate::config::RunbookSettings;
use std::process::Stdio;
use std::time::Duration;

const EXCERPT: usize = 1500;

pub async fn run(r: &RunbookSettings) -> Executed {
    let mut cmd = tokio::process::Command::new(&r.argv[0]);
    cmd.args(&r.argv[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            return Executed {
                refund: None,
                ok: false,
                result: format!("could not start {}: {e}", r.argv[0]),
            };
        }
    };
    match tokio::time::timeout(
        Duration::from_secs(r.timeout_secs),
        child.wait_with_output(),
    )
    .await
    {
        Err(_) => Executed {
            refund: None,
            ok: false,
            result: format!("timed out after {} s and was stopped", r.timeout_secs),
        },
        Ok(Err(e)) => Executed {
            refund: None,
            ok: false,
            result: format!("failed while running: {e}"),
        },
        Ok(Ok(out)) => {
            let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
            text.push_str(&String::from_utf8_lossy(&out.stderr));
            let code = out
                .status
                .code()
                .map_or("killed by a signal".to_string(), |c| format!("exit {c}"));
            let excerpt = tail(&text, EXCERPT);
            Executed {
                refund: None,
                ok: out.status.success(),
                result: if excerpt.is_empty() {
                    code
                } else {
                    format!("{code}\n{excerpt}")
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rb(argv: &[&str], timeout_secs: u64) -> RunbookSettings {
        RunbookSettings {
            description: "t".into(),
            argv: argv.iter().map(|s| s.to_string()).collect(),
            timeout_secs,
        }
    }

    #[tokio::test]
    async fn output_and_exit_codes_are_reported() {
        let ok = run(&rb(&["sh", "-c", "echo restarted; echo warn >&2"], 5)).await;
        assert_eq!(
            ok,
            Executed {
                refund: None,
                ok: true,
                result: "exit 0\nrestarted\nwarn".into()
            }
        );
        let bad = run(&rb(&["sh", "-c", "echo disk full >&2; exit 3"], 5)).await;
        assert_eq!(
            bad,
            Executed {
                refund: None,
                ok: false,
                result: "exit 3\ndisk full".into()
            }
        );
        let missing = run(&rb(&["/nonexistent/opsdesk-runbook"], 5)).await;
        assert!(
            !missing.ok
                && missing
                    .result
                    .starts_with("could not start /nonexistent/opsdesk-runbook"),
            "{missing:?}"
        );
    }

    #[tokio::test]
    async fn arguments_are_never_interpreted_by_a_shell() {
        let r = run(&rb(&["echo", "$(id)", ";", "rm", "-rf", "/"], 5)).await;
        assert_eq!(r.result, "exit 0\n$(id) ; rm -rf /");
    }

    #[tokio::test(start_paused = true)]
    async fn a_hung_runbook_is_stopped_at_its_timeout() {
        let r = run(&rb(&["sleep", "30"], 1)).await;
        assert_eq!(
            r,
            Executed {
                refund: None,
                ok: false,
                result: "timed out after 1 s and was stopped".into()
            }
        );
    }
}
