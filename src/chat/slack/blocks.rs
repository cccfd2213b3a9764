//! Replies rendered as Slack Block Kit: a section for the title and body, a fields section, context
//! lines for citations and the footer, and an actions block whose buttons carry the action and target.

use crate::domain::{ButtonStyle, Card, Reply};
use serde_json::{Value, json};
use slack_morphism::prelude::{SlackBlock, SlackMessageContent};

/// Slack's limits: section text 3000 characters, 10 fields of 2000, 25 buttons, label 75.
const SECTION_MAX: usize = 3000;
const FIELD_MAX: usize = 2000;
const FIELDS_MAX: usize = 10;
const BUTTONS_MAX: usize = 25;
const LABEL_MAX: usize = 75;

/// Escapes the three characters Slack's mrkdwn reserves, and turns `**bold**` into Slack's `*bold*`.
pub fn mrkdwn(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace("**", "*")
}

fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(max - 1).collect::<String>())
    }
}

/// The Block Kit JSON for a card.
pub fn card_blocks(c: &Card) -> Value {
    let mut blocks = vec![];
    let mut head = format!("*{}*", mrkdwn(&c.title));
    if !c.body.is_empty() {
        head.push('\n');
        head.push_str(&mrkdwn(&c.body));
    }
    blocks.push(
        json!({"type": "section", "text": {"type": "mrkdwn", "text": cut(&head, SECTION_MAX)}}),
    );
    if !c.fields.is_empty() {
        let fields: Vec<Value> = c
            .fields
            .iter()
            .take(FIELDS_MAX)
            .map(|f| json!({"type": "mrkdwn", "text": cut(&format!("*{}*\n{}", mrkdwn(&f.name), mrkdwn(&f.value)), FIELD_MAX)}))
            .collect();
        blocks.push(json!({"type": "section", "fields": fields}));
    }
    if !c.citations.is_empty() {
        let links: Vec<String> = c
            .citations
            .iter()
            .map(|s| format!("<{}|{}>", s.link, mrkdwn(&s.title).replace('|', "¦")))
            .collect();
        blocks.push(json!({"type": "context", "elements": [{"type": "mrkdwn", "text": format!("📖 Source: {}", links.join(" · "))}]}));
    }
    if let Some(f) = c.footer.as_ref().filter(|f| **f != c.body) {
        blocks.push(json!({"type": "context", "elements": [{"type": "mrkdwn", "text": cut(&mrkdwn(f), SECTION_MAX)}]}));
    }
    if !c.buttons.is_empty() {
        let buttons: Vec<Value> = c
            .buttons
            .iter()
            .take(BUTTONS_MAX)
            .enumerate()
            .map(|(i, b)| {
                // A button that asks first carries its question in the action id (opened as a modal on click).
                let action_id: String = match &b.asks {
                    Some(q) => format!("{}{}{q}", b.action, super::modal::ASK)
                        .chars()
                        .take(255)
                        .collect(),
                    // Slack wants action ids unique within a block (Silence 30m / 1h / 4h share an action).
                    None if c.buttons[..i].iter().any(|o| o.action == b.action) => {
                        format!("{}{DUP}{i}", b.action)
                    }
                    None => b.action.clone(),
                };
                let mut v = json!({
                    "type": "button",
                    "action_id": action_id,
                    "value": b.value,
                    "text": {"type": "plain_text", "text": cut(&b.label, LABEL_MAX), "emoji": true},
                });
                match b.style {
                    ButtonStyle::Primary => v["style"] = json!("primary"),
                    ButtonStyle::Danger => v["style"] = json!("danger"),
                    ButtonStyle::Default => {}
                }
                v
            })
            .collect();
        blocks.push(json!({"type": "actions", "elements": buttons}));
    }
    Value::Array(blocks)
}

/// Marks the n-th button of a block that repeats an earlier button's action.
const DUP: char = '#';

/// The action a button's action id stands for (without the mark that keeps ids unique in a block).
pub fn action_name(action_id: &str) -> &str {
    match action_id.rsplit_once(DUP) {
        Some((a, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => a,
        _ => action_id,
    }
}

/// The message content for a reply: blocks for cards, with the plain rendering as the notification text.
pub fn content(reply: &Reply) -> Result<SlackMessageContent, crate::chat::RenderError> {
    match reply {
        Reply::Text { text } => Ok(SlackMessageContent::new().with_text(mrkdwn(text))),
        Reply::Card(c) => {
            let blocks: Vec<SlackBlock> = serde_json::from_value(card_blocks(c)).map_err(|e| {
                crate::chat::RenderError::Invalid {
                    what: format!("card {:?}", c.title),
                    reason: e.to_string(),
                }
            })?;
            Ok(SlackMessageContent::new()
                .with_text(cut(&reply.plain(), SECTION_MAX))
                .with_blocks(blocks))
        }
        // Files are uploaded (`send::upload`); they cannot be an edit or an ephemeral message.
        Reply::File { name, .. } => Err(crate::chat::RenderError::FileNotPostable(name.clone())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::button::AlertButton;
    use crate::domain::support::CustomerButton;
    use crate::domain::{Button, Citation, Field};

    fn card() -> Card {
        Card {
            title: "From our docs".into(),
            body: "Use **Settings → Billing** & <save>".into(),
            fields: vec![Field {
                name: "Plan".into(),
                value: "Pro".into(),
            }],
            citations: vec![Citation {
                title: "Billing".into(),
                link: "https://docs.example.com/billing".into(),
                ..Default::default()
            }],
            buttons: vec![
                Button::new("Solved ✅", CustomerButton::Solved, "42").styled(ButtonStyle::Primary),
                Button::new("Talk to a human", CustomerButton::Human, "42"),
            ],
            footer: Some("asked by U1".into()),
        }
    }

    #[test]
    fn cards_become_typed_block_kit() {
        let c = content(&Reply::Card(card())).unwrap();
        let blocks = c.blocks.unwrap();
        assert_eq!(
            blocks.len(),
            5,
            "section, fields, citation context, footer context, actions"
        );
        let json = serde_json::to_value(&blocks).unwrap();
        assert_eq!(
            json[0]["text"]["text"],
            "*From our docs*\nUse *Settings → Billing* &amp; &lt;save&gt;"
        );
        assert_eq!(
            json[2]["elements"][0]["text"],
            "📖 Source: <https://docs.example.com/billing|Billing>"
        );
        let buttons = &json[4]["elements"];
        assert_eq!(buttons[0]["action_id"], "ticket.solved");
        assert_eq!(buttons[0]["value"], "42");
        assert_eq!(buttons[0]["style"], "primary");
        assert!(buttons[1].get("style").is_none());
        assert!(c.text.unwrap().starts_with("From our docs"));
    }

    #[test]
    fn repeated_actions_get_unique_ids_that_read_back_as_the_action() {
        let b = |v: &str| crate::domain::Button::new(v, AlertButton::Silence, v);
        let c = Card {
            buttons: vec![b("30m"), b("1h"), b("4h")],
            ..Default::default()
        };
        let blocks = card_blocks(&c);
        let ids: Vec<String> = blocks.as_array().unwrap().last().unwrap()["elements"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action_id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(ids, ["alert.silence", "alert.silence#1", "alert.silence#2"]);
        assert!(ids.iter().all(|i| action_name(i) == "alert.silence"));
        assert_eq!(action_name("desk.claim"), "desk.claim");
    }

    #[test]
    fn long_text_is_cut_to_slack_limits() {
        let mut c = card();
        c.body = "x".repeat(5000);
        let json = card_blocks(&c);
        assert_eq!(
            json[0]["text"]["text"].as_str().unwrap().chars().count(),
            SECTION_MAX
        );
        assert!(content(&Reply::Card(c)).is_ok());
    }
}
