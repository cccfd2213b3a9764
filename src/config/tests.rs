//! Tests for settings layering and the errors bad configuration produces (figment's Jail isolates
//! the environment and the working directory).
#![allow(clippy::result_large_err)] // figment::Jail's closure signature is fixed by figment.

use super::*;
use figment::Jail;
use std::path::Path;

#[test]
fn builtin_defaults_load_and_name_the_console_channels() {
    let s = Settings::builtin();
    assert_eq!(s.store.url, "sqlite://opsdesk.db");
    assert_eq!(
        s.channel_role(Platform::Console, "community"),
        Some(ChannelRole::Customer)
    );
    assert_eq!(
        s.channel_with_role(Platform::Console, ChannelRole::Escalation),
        Some("escalations")
    );
}

#[test]
fn env_file_and_variables_override_in_order() {
    Jail::expect_with(|jail| {
        jail.create_dir("config")?;
        jail.create_file("config/default.toml", DEFAULT_TOML)?;
        jail.create_file(
            "config/staging.toml",
            "[triage]\nhuman_threshold = 0.2\nconfidence_threshold = 0.4\n",
        )?;
        jail.set_env("OPSDESK_ENV", "staging");
        jail.set_env("OPSDESK__TRIAGE__CONFIDENCE_THRESHOLD", "0.7");
        let s = Settings::load(Path::new("config")).expect("loads");
        assert_eq!(s.triage.human_threshold, 0.2);
        assert_eq!(s.triage.confidence_threshold, 0.7);
        Ok(())
    });
}

#[test]
fn an_older_default_toml_on_disk_layers_over_the_built_in_defaults() {
    Jail::expect_with(|jail| {
        jail.create_dir("config")?;
        // A copy from an older release: it lacks keys added since (e.g. slack.working_reaction).
        jail.create_file(
            "config/default.toml",
            "[slack]\nchannel_rate_per_sec = 0.5\n[triage]\nhuman_threshold = 0.3\n",
        )?;
        let s = Settings::load(Path::new("config")).expect("loads over the built-in defaults");
        assert_eq!(s.triage.human_threshold, 0.3);
        assert_eq!(s.slack.channel_rate_per_sec, 0.5);
        assert_eq!(
            s.slack.working_reaction,
            Settings::builtin().slack.working_reaction
        );
        assert_eq!(s.store.url, "sqlite://opsdesk.db");
        // An unknown key in it is still an error naming the key.
        jail.create_file("config/default.toml", "[slack]\nworking_reactoin = \"x\"\n")?;
        let err = Settings::load(Path::new("config")).unwrap_err().to_string();
        assert!(err.contains("working_reactoin"), "{err}");
        Ok(())
    });
}

#[test]
fn unknown_key_is_an_error_naming_key_and_file() {
    Jail::expect_with(|jail| {
        jail.create_dir("config")?;
        jail.create_file("config/default.toml", DEFAULT_TOML)?;
        jail.create_file("config/prod.toml", "[store]\nurll = \"x\"\n")?;
        jail.set_env("OPSDESK_ENV", "prod");
        let err = Settings::load(Path::new("config")).unwrap_err().to_string();
        assert!(err.contains("urll"), "{err}");
        assert!(err.contains("prod.toml"), "{err}");
        Ok(())
    });
}

#[test]
fn bad_value_is_an_error_naming_the_key() {
    Jail::expect_with(|jail| {
        jail.set_env("OPSDESK__SUPPORT__UNHELPFUL_TURNS", "lots");
        let err = Settings::load(Path::new("nowhere"))
            .unwrap_err()
            .to_string();
        assert!(
            err.to_lowercase().contains("support.unhelpful_turns"),
            "{err}"
        );
        assert!(
            err.contains("OPSDESK__"),
            "names where the value came from: {err}"
        );
        jail.set_env("OPSDESK__SUPPORT__UNHELPFUL_TURNS", "3");
        jail.set_env("OPSDESK__TRIAGE__HUMAN_THRESHOLD", "1.5");
        let err = Settings::load(Path::new("nowhere"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("triage.human_threshold"), "{err}");
        jail.set_env("OPSDESK__TRIAGE__HUMAN_THRESHOLD", "0.3");
        jail.set_env("OPSDESK__STORE__INBOX_RETENTION_DAYS", "7");
        let err = Settings::load(Path::new("nowhere"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("store.inbox_retention_days: must be at least 35"),
            "{err}"
        );
        Ok(())
    });
}

#[test]
fn missing_env_file_is_named() {
    Jail::expect_with(|jail| {
        jail.set_env("OPSDESK_ENV", "qa");
        let err = Settings::load(Path::new("config")).unwrap_err().to_string();
        assert!(err.contains("qa.toml"), "{err}");
        Ok(())
    });
}

#[test]
fn database_url_env_wins_and_is_redacted_in_debug() {
    Jail::expect_with(|jail| {
        jail.set_env("DATABASE_URL", "postgres://app:s3cret@db:5432/ops");
        let s = Settings::load(Path::new("nowhere")).unwrap();
        assert_eq!(s.store.url, "postgres://app:s3cret@db:5432/ops");
        let dbg = format!("{:?}", s.store);
        assert!(!dbg.contains("s3cret"), "{dbg}");
        assert!(dbg.contains("app:***@db"), "{dbg}");
        Ok(())
    });
}

#[test]
fn secrets_come_from_the_environment_and_never_print() {
    use secrecy::ExposeSecret;
    Jail::expect_with(|jail| {
        jail.set_env("SLACK_BOT_TOKEN", "xoxb-very-secret");
        jail.set_env("SLACK_APP_TOKEN", "xapp-very-secret");
        jail.set_env("BLANK_TOKEN", "  ");
        let s = Settings::builtin();
        let tokens = s.slack.tokens_from_env().expect("both tokens set");
        assert_eq!(tokens.bot.expose_secret(), "xoxb-very-secret");
        let shown = format!("{tokens:?}");
        assert!(!shown.contains("very-secret"), "{shown}");
        assert!(secret("BLANK_TOKEN").is_none() && secret("NO_SUCH_VAR_SET").is_none());
        Ok(())
    });
}

/// Relative paths are read from the config folder wherever opsdesk runs: the built-in defaults' and
/// the config files' alike; one set by an `OPSDESK__` variable is the shell's, from the working
/// directory; absolute paths and "none" (empty) stay as they are.
#[test]
fn relative_paths_are_read_from_the_config_folder() {
    Jail::expect_with(|jail| {
        jail.create_dir("site")?;
        jail.create_file(
            "site/production.toml",
            "[kb]\npath = \"docs\"\nlearned_path = \"/srv/learned\"\n[triage]\nmodel = \"m.json\"\n",
        )?;
        jail.set_env("OPSDESK_ENV", "production");
        jail.set_env("OPSDESK__PROMPTS__PATH", "my-prompts");
        let s = Settings::load(Path::new("site")).expect("loads");
        assert_eq!(s.kb.path, Path::new("site/docs"));
        assert_eq!(s.kb.learned_path, Path::new("/srv/learned"));
        assert_eq!(s.kb.embeddings, Path::new("site/vectors/wordllama"));
        assert_eq!(s.triage.model, "site/m.json");
        assert_eq!(s.triage.embeddings, "");
        assert_eq!(s.prompts.path, Path::new("my-prompts"));
        let b = Settings::builtin();
        assert_eq!(
            (b.kb.path, b.prompts.path),
            ("config/kb".into(), "config/../prompts".into())
        );
        Ok(())
    });
}
