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
