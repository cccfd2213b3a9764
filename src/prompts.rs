//! Templates for what opsdesk writes (minijinja): built-in defaults from `prompts/`, each replaceable
//! at run time by a file of the same name in the configured prompts folder.

use minijinja::Environment;
use std::path::Path;

const BUILTIN: &[(&str, &str)] = &[
    ("answer.md", include_str!("../prompts/answer.md")),
    ("escalated.md", include_str!("../prompts/escalated.md")),
    ("suggested.md", include_str!("../prompts/suggested.md")),
    ("csat.md", include_str!("../prompts/csat.md")),
    ("tier1.md", include_str!("../prompts/tier1.md")),
    ("summary.md", include_str!("../prompts/summary.md")),
    ("triage.md", include_str!("../prompts/triage.md")),
    ("tier2.md", include_str!("../prompts/tier2.md")),
    ("assistant.md", include_str!("../prompts/assistant.md")),
    ("infra_note.md", include_str!("../prompts/infra_note.md")),
];

/// Why the prompts cannot be loaded: an override that cannot be read, or a template that does not parse.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("template {name}: {source}")]
    Syntax {
        name: String,
        source: minijinja::Error,
    },
}

/// The name `alerts.title` is kept under.
const ALERT_TITLE: &str = "alerts.title";

pub struct Templates {
    env: Environment<'static>,
    version: String,
}

impl Templates {
    /// Built-in templates, overridden by same-named files in `dir` when it exists.
    pub fn load(dir: Option<&Path>) -> Result<Templates, TemplateError> {
        use sha2::Digest;
        let mut env = Environment::new();
        let mut hash = sha2::Sha256::new();
        env.set_syntax(
            minijinja::syntax::SyntaxConfig::builder()
                .trim_blocks(true)
                .build()
                .expect("static syntax config"),
        );
        for (name, builtin) in BUILTIN {
            let text = match dir.map(|d| d.join(name)).filter(|p| p.is_file()) {
                Some(p) => std::fs::read_to_string(&p).map_err(|source| TemplateError::Read {
                    path: p.display().to_string(),
                    source,
                })?,
                None => builtin.to_string(),
            };
            hash.update(name.as_bytes());
            hash.update([0]);
            hash.update(text.as_bytes());
            hash.update([0]);
            env.add_template_owned(*name, text)
                .map_err(|source| TemplateError::Syntax {
                    name: name.to_string(),
                    source,
                })?;
        }
        let digest = hash.finalize();
        let version = format!(
            "p-{}",
            digest[..4]
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        );
        Ok(Templates { env, version })
    }

    /// Adds `alerts.title`, the template of alert card titles (empty: the built-in keyed title stays).
    pub fn with_alert_title(mut self, source: &str) -> Result<Templates, TemplateError> {
        if !source.trim().is_empty() {
            self.env
                .add_template_owned(ALERT_TITLE, source.to_string())
                .map_err(|source| TemplateError::Syntax {
                    name: "alerts.title".into(),
                    source,
                })?;
        }
        Ok(self)
    }

    /// An alert card's title from `alerts.title`, on one line; `None` without the template, or when it
    /// renders nothing or fails (logged), so the built-in title stays.
    pub fn alert_title(&self, ctx: minijinja::Value) -> Option<String> {
        let t = self.env.get_template(ALERT_TITLE).ok()?;
        match t.render(ctx) {
            Ok(s) => {
                Some(s.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|s| !s.is_empty())
            }
            Err(e) => {
                tracing::warn!(error = %e, "alerts.title failed to render; the built-in title is used");
                None
            }
        }
    }

    /// A short hash of every template in use (built-in or overridden): recorded on each ticket the bot
    /// answers, so a change of prompts shows in the tickets it affected.
    pub fn version(&self) -> &str {
        &self.version
    }

    pub fn render(&self, name: &str, ctx: minijinja::Value) -> String {
        match self.env.get_template(name).and_then(|t| t.render(ctx)) {
            Ok(s) => s.trim().to_string(),
            // Templates are validated at load; a render error is a variable problem in an override.
            Err(e) => {
                tracing::error!(template = name, error = %e, "template failed to render");
                String::new()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_render_and_folder_overrides() {
        let t = Templates::load(None).unwrap();
        let s = t.render(
            "answer.md",
            minijinja::context! { extract => "Click Forgot password.", truncated => true },
        );
        assert!(s.starts_with("(Your message was very long"), "{s}");
        assert!(s.contains("> Click Forgot password."));
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("escalated.md"),
            "Human on it: #{{ ticket }}",
        )
        .unwrap();
        let t = Templates::load(Some(dir.path())).unwrap();
        assert_eq!(
            t.render("escalated.md", minijinja::context! { ticket => 4 }),
            "Human on it: #4"
        );
        assert_ne!(
            t.version(),
            Templates::load(None).unwrap().version(),
            "an override changes the prompt version"
        );
        assert!(t.version().starts_with("p-") && t.version().len() == 10);
    }
}
