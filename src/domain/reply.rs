//! Outbound content, platform-neutral: adapters render it as Block Kit, Discord components or console text.

use super::ButtonAction;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ButtonStyle {
    #[default]
    Default,
    Primary,
    Danger,
}

/// A button: `action` names what it does ([`ButtonAction::name`]), `value` names its target (e.g. a ticket id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Button {
    pub label: String,
    pub action: String,
    pub value: String,
    #[serde(default)]
    pub style: ButtonStyle,
    /// When set, clicking first asks this question (a modal on Slack and Discord) and the answer comes
    /// back with the click.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asks: Option<String>,
}

impl Button {
    pub fn new(label: &str, action: impl Into<ButtonAction>, value: impl Into<String>) -> Self {
        Button {
            label: label.into(),
            action: action.into().name().into(),
            value: value.into(),
            style: ButtonStyle::Default,
            asks: None,
        }
    }

    pub fn styled(mut self, style: ButtonStyle) -> Self {
        self.style = style;
        self
    }

    /// Asks the clicker `question` before the click counts.
    pub fn asking(mut self, question: &str) -> Self {
        self.asks = Some(question.into());
        self
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    pub name: String,
    pub value: String,
}

/// Where an answer came from: a knowledge-base section's title and link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Citation {
    pub title: String,
    pub link: String,
    /// The section's id, `page#section` with the page's name alone (as `kb eval` labels name it,
    /// wherever the page sits in the docs' folders); empty for a link that is not a section.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
}

/// A structured message: title, body, fields, citations and buttons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Card {
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub fields: Vec<Field>,
    #[serde(default)]
    pub citations: Vec<Citation>,
    #[serde(default)]
    pub buttons: Vec<Button>,
    /// A short line under the card (who acted, when).
    #[serde(default)]
    pub footer: Option<String>,
}

/// What the bot says: plain text or a card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Reply {
    Text {
        text: String,
    },
    Card(Card),
    /// A file to upload (a digest's chart): its name, a caption, and its bytes in base64.
    File {
        name: String,
        title: String,
        data_b64: String,
    },
}

impl Reply {
    pub fn text(t: impl Into<String>) -> Self {
        Reply::Text { text: t.into() }
    }

    /// The buttons a reader can click, in order.
    pub fn buttons(&self) -> &[Button] {
        match self {
            Reply::Text { .. } | Reply::File { .. } => &[],
            Reply::Card(c) => &c.buttons,
        }
    }

    /// A plain-text rendering, used for logs, fallbacks and the platforms' notification text.
    pub fn plain(&self) -> String {
        match self {
            Reply::Text { text } => text.clone(),
            Reply::File { name, title, .. } => format!("{title} ({name})"),
            Reply::Card(c) => {
                let mut s = c.title.clone();
                if !c.body.is_empty() {
                    s.push('\n');
                    s.push_str(&c.body);
                }
                for f in &c.fields {
                    s.push_str(&format!("\n{}: {}", f.name, f.value));
                }
                for cit in &c.citations {
                    s.push_str(&format!("\nSource: {} <{}>", cit.title, cit.link));
                }
                if let Some(f) = c.footer.as_ref().filter(|f| **f != c.body) {
                    s.push('\n');
                    s.push_str(f);
                }
                s
            }
        }
    }
}
