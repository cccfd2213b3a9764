//! `opsdesk doctor`: what is configured and whether it works — config, database, knowledge base,
//! triage model, prompts, each LLM agent's endpoint, the GitHub repository for tier 2's issues, Slack
//! (token, scopes, Socket Mode) and Discord (token, guilds) when their tokens are set.

use crate::config::{Settings, redact_url};
use crate::domain::ports::Store;

fn line(ok: bool, what: &str, detail: &str) -> bool {
    use std::io::Write;
    let said = writeln!(
        std::io::stdout(),
        "{} {what:<14} {detail}",
        if ok { "ok  " } else { "FAIL" }
    );
    if said.is_err() {
        // `opsdesk doctor | head -1`: the reader has what it wanted.
        std::process::exit(0);
    }
    ok
}

/// Which secrets are set in the environment (their names only, never a value).
fn secrets(s: &Settings) -> bool {
    let mut names: Vec<&str> = vec![
        &s.alerts.token_env,
        &s.alerts.sentry_secret_env,
        &s.finance.stripe_secret_env,
        &s.finance.stripe_api_key_env,
        &s.slack.app_token_env,
        &s.slack.bot_token_env,
        &s.discord.token_env,
        &s.github.token_env,
    ];
    names.extend(s.llm.agents.values().map(|a| a.api_key_env.as_str()));
    names.retain(|n| !n.is_empty());
    names.sort_unstable();
    names.dedup();
    let (set, unset): (Vec<&str>, Vec<&str>) = names
        .into_iter()
        .partition(|n| crate::config::secret(n).is_some());
    let list = |v: &[&str]| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.join(", ")
        }
    };
    line(
        true,
        "secrets",
        &format!("set: {}; not set: {}", list(&set), list(&unset)),
    )
}

pub async fn run(s: &Settings) -> anyhow::Result<()> {
    let mut all = line(
        true,
        "config",
        "loaded (built-in defaults, config files and OPSDESK__ variables)",
    );
    all &= secrets(s);
    all &= database(s).await;
    all &= knowledge_base(s);
    all &= word_vectors(s);
    all &= triage_model(s);
    all &= prompts(s);
    all &= llm_agents(s).await;
    all &= github(s).await;
    all &= slack(s).await;
    all &= discord(s).await;
    anyhow::ensure!(all, "some checks failed");
    Ok(())
}

async fn database(s: &Settings) -> bool {
    match crate::app::open_store(s, &s.store.url).await {
        Ok(store) => match store.ping().await {
            Ok(()) => line(
                true,
                "database",
                &format!("{} at {}", store.backend(), redact_url(&s.store.url)),
            ),
            Err(e) => line(false, "database", &e.to_string()),
        },
        Err(e) => line(false, "database", &format!("{e:#}")),
    }
}

fn knowledge_base(s: &Settings) -> bool {
    match crate::kb::Kb::load_with(&s.kb.path, &s.kb.learned_path, &s.kb.base_url) {
        Ok(kb) if kb.skipped.is_empty() => line(
            true,
            "knowledge base",
            &format!("{} sections from {}", kb.len(), s.kb.path.display()),
        ),
        Ok(kb) => line(
            false,
            "knowledge base",
            &format!(
                "{} sections from {}; skipped {}",
                kb.len(),
                s.kb.path.display(),
                kb.skipped.join("; ")
            ),
        ),
        Err(e) => line(
            false,
            "knowledge base",
            &format!("{e}: opsdesk runs, and every question goes to a person"),
        ),
    }
}

/// The word vectors the knowledge base ranks by meaning with; none configured is fine.
fn word_vectors(s: &Settings) -> bool {
    let dir = &s.kb.embeddings;
    match crate::app::kb_vectors(&s.kb) {
        Ok(None) => line(
            true,
            "word vectors",
            "none (kb.embeddings): sections ranked by BM25 alone",
        ),
        Ok(Some(e)) if !dir.exists() => line(
            true,
            "word vectors",
            &format!(
                "{} dimensions, the table compiled into opsdesk ({} is not here)",
                e.dim(),
                dir.display()
            ),
        ),
        Ok(Some(e)) => line(
            true,
            "word vectors",
            &format!("{} dimensions from {}", e.dim(), dir.display()),
        ),
        Err(e) => line(
            false,
            "word vectors",
            &format!("{e}: sections are ranked by BM25 alone"),
        ),
    }
}

fn triage_model(s: &Settings) -> bool {
    match crate::app::load_model(&s.triage, None) {
        Ok(m) => {
            let name = if s.triage.model.is_empty() {
                "built-in"
            } else {
                &s.triage.model
            };
            let (built_in, set) = (s.triage.model.is_empty(), &s.triage.embeddings);
            let embeddings = match m.embeddings() {
                // The built-in model, or a model without `triage.embeddings`, reads the shipped table.
                Some(e) if built_in || set.is_empty() => format!(
                    ", word embeddings {} shipped with opsdesk{}",
                    e.fingerprint(),
                    if built_in && !set.is_empty() {
                        format!(
                            "; triage.embeddings is set to {set} but the built-in model reads the shipped ones, so it is unused"
                        )
                    } else {
                        String::new()
                    }
                ),
                Some(e) => format!(", word embeddings {} from {set}", e.fingerprint()),
                None if !set.is_empty() => {
                    format!(
                        "; triage.embeddings is set to {set} but this model was trained without them, so they are unused"
                    )
                }
                None => String::new(),
            };
            let pages = crate::app::kb_pages(&s.kb);
            let product = crate::triage::product::words(&pages, &m, s.triage.product_word_share);
            let product = if product.is_empty() {
                String::new()
            } else {
                format!("; the product's words: {}", product.join(", "))
            };
            line(
                true,
                "triage model",
                &format!(
                    "{name} ({} features{embeddings}){product}",
                    m.feature_count()
                ),
            )
        }
        Err(e) => line(false, "triage model", &format!("{e:#}")),
    }
}

fn prompts(s: &Settings) -> bool {
    match crate::prompts::Templates::load(Some(&s.prompts.path)) {
        Ok(_) => line(
            true,
            "prompts",
            &format!(
                "built-in, overridden from {} when present",
                s.prompts.path.display()
            ),
        ),
        Err(e) => line(false, "prompts", &e.to_string()),
    }
}

/// Each agent with an endpoint: does it serve its model?
async fn llm_agents(s: &Settings) -> bool {
    let mut all = true;
    let timeout = std::time::Duration::from_secs(s.llm.timeout_secs.min(10));
    for (name, a) in &s.llm.agents {
        all &= match s.llm.agent(name) {
            None => line(
                true,
                &format!("llm {name}"),
                "offline (set llm.agents.<name>.base_url to use a model)",
            ),
            Some(_) => match crate::llm::openai::check(a, timeout).await {
                Ok(found) => line(true, &format!("llm {name}"), &found),
                Err(e) => line(false, &format!("llm {name}"), &e.to_string()),
            },
        };
    }
    all
}

async fn github(s: &Settings) -> bool {
    if s.github.repo.is_empty() {
        line(
            true,
            "github",
            "off (set github.repo so tier 2 can draft issues)",
        )
    } else {
        match crate::exec::github::check(&s.github).await {
            Ok(found) => line(true, "github", &found),
            Err(e) => line(false, "github", &e.to_string()),
        }
    }
}

/// The bot token, its scopes against the manifest's, and Socket Mode.
async fn slack(s: &Settings) -> bool {
    match s.slack.tokens_from_env() {
        None => line(
            true,
            "slack",
            &format!(
                "off (set ${} and ${} to connect)",
                s.slack.app_token_env, s.slack.bot_token_env
            ),
        ),
        Some(tokens) => match crate::chat::slack::check::check(&s.slack, &tokens).await {
            Err(e) => line(
                false,
                "slack",
                &format!("{e:#} (bot token ${})", s.slack.bot_token_env),
            ),
            Ok(c) => {
                let mut ok = line(
                    true,
                    "slack",
                    &format!("workspace {:?} as bot user {}", c.team, c.bot_user),
                );
                ok &= if c.missing_scopes.is_empty() {
                    line(true, "slack scopes", "all granted")
                } else {
                    line(
                        false,
                        "slack scopes",
                        &format!(
                            "missing {} (reinstall the app from config/slack-app-manifest.yml)",
                            c.missing_scopes.join(", ")
                        ),
                    )
                };
                ok & match c.socket_mode {
                    Ok(()) => line(true, "slack socket", "Socket Mode available"),
                    Err(e) => line(
                        false,
                        "slack socket",
                        &format!("{e} (app-level token ${})", s.slack.app_token_env),
                    ),
                }
            }
        },
    }
}

/// The bot token and each configured guild.
async fn discord(s: &Settings) -> bool {
    match s.discord.token_from_env() {
        None => line(
            true,
            "discord",
            &format!("off (set ${} to connect)", s.discord.token_env),
        ),
        Some(token) => match crate::chat::discord::check::check(&s.discord, &token).await {
            Err(e) => line(
                false,
                "discord",
                &format!("{e:#} (${})", s.discord.token_env),
            ),
            Ok(c) => {
                let mut ok = line(true, "discord", &format!("bot {}", c.bot));
                if c.guilds.is_empty() {
                    ok &= line(
                        false,
                        "discord guilds",
                        "none configured: set discord.guilds so /ops is registered",
                    );
                }
                for (id, r) in c.guilds {
                    ok &= match r {
                        Ok(name) => line(true, "discord guild", &format!("{id} {name:?}")),
                        Err(e) => line(
                            false,
                            "discord guild",
                            &format!("{id}: {e} (is the bot invited?)"),
                        ),
                    };
                }
                ok
            }
        },
    }
}
