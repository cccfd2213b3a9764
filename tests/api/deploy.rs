//! The packaging under config/deploy/ agrees with the code it deploys: the variables it passes are the
//! ones the configuration reads, the health check and the Alertmanager receiver hit routes opsdesk
//! serves, and the service's command line is one the CLI accepts.

use crate::support;
use std::process::Command;

fn read(name: &str) -> String {
    let path = format!("{}/config/deploy/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_compose_file_passes_the_variables_the_configuration_reads() {
    let s = support::settings();
    let compose = read("compose.yaml");
    for var in [
        s.alerts.token_env.as_str(),
        s.slack.app_token_env.as_str(),
        s.slack.bot_token_env.as_str(),
        s.discord.token_env.as_str(),
        "DATABASE_URL",
        "OPSDESK_ENV",
    ] {
        assert!(
            compose.contains(&format!("{var}:")),
            "compose.yaml lacks {var}"
        );
    }
    assert!(compose.contains("replicas: 2") && compose.contains("postgres:"));
    let am = read("alertmanager.yml");
    assert!(
        am.contains("url: http://opsdesk:8080/hooks/alertmanager")
            && am.contains("send_resolved: true"),
        "{am}"
    );
}

#[test]
fn the_image_runs_unprivileged_and_checks_readiness() {
    let d = read("Dockerfile");
    assert!(d.contains("USER opsdesk") && !d.contains("USER root"));
    assert!(d.contains("OPSDESK__HTTP__ADDR=0.0.0.0:8080") && d.contains("EXPOSE 8080"));
    assert!(d.contains("curl -fsS http://127.0.0.1:8080/readyz"), "{d}");
    assert!(d.contains(r#"CMD ["run", "--no-console"]"#));
}

/// The unit's and the image's command lines parse (`--help` after them: nothing starts).
#[test]
fn the_service_command_lines_are_ones_the_cli_accepts() {
    let unit = read("opsdesk.service");
    let exec = unit
        .lines()
        .find_map(|l| l.strip_prefix("ExecStart=/usr/local/bin/opsdesk "))
        .expect("an ExecStart running opsdesk");
    for args in [exec, "run --no-console"] {
        let ok = Command::new(env!("CARGO_BIN_EXE_opsdesk"))
            .args(args.split_whitespace())
            .arg("--help")
            .output()
            .expect("opsdesk runs")
            .status
            .success();
        assert!(ok, "opsdesk {args} is refused");
    }
    for key in [
        "DynamicUser=yes",
        "StateDirectory=opsdesk",
        "ProtectSystem=strict",
    ] {
        assert!(unit.contains(key), "the unit lacks {key}");
    }
}

/// Every `opsdesk_*` series the Grafana dashboard queries is one opsdesk writes (a histogram's
/// `_bucket`, `_sum` and `_count` are its own name's), so a renamed metric cannot leave a panel empty.
#[test]
fn the_grafana_dashboard_queries_metrics_opsdesk_writes() {
    let dash: serde_json::Value = serde_json::from_str(&read("grafana-dashboard.json")).unwrap();
    let mut source = String::new();
    for dir in [
        "src",
        "src/http",
        "src/pipeline",
        "src/llm",
        "src/chat/slack",
    ] {
        let path = format!("{}/{dir}", env!("CARGO_MANIFEST_DIR"));
        for f in std::fs::read_dir(&path).unwrap().flatten() {
            source.push_str(&std::fs::read_to_string(f.path()).unwrap_or_default());
        }
    }
    let panels = dash["panels"].as_array().unwrap();
    assert!(panels.len() >= 10);
    let mut names = vec![];
    for expr in panels
        .iter()
        .flat_map(|p| p["targets"].as_array().unwrap())
        .filter_map(|t| t["expr"].as_str())
    {
        for word in expr.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
            if let Some(name) = word.strip_prefix("opsdesk_") {
                let base = ["_bucket", "_sum", "_count"]
                    .iter()
                    .find_map(|s| name.strip_suffix(s))
                    .unwrap_or(name);
                names.push(format!("opsdesk_{base}"));
            }
        }
    }
    for n in &names {
        assert!(
            source.contains(&format!("\"{n}")),
            "the dashboard queries {n}, which opsdesk does not write"
        );
    }
    for written in [
        "opsdesk_llm_calls_total",
        "opsdesk_customer_messages_total",
        "opsdesk_approval_steps_total",
    ] {
        assert!(
            names.iter().any(|n| n == written),
            "no panel shows {written}"
        );
    }
}
