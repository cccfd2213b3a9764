//! Replies rendered for Discord: text as message content, cards as one embed (title, description,
//! fields, sources, footer) with buttons in action rows whose custom id is `action|value`.

use crate::domain::{ButtonStyle, Card, Reply};
use serenity::all::{
    ButtonStyle as DButtonStyle, CreateActionRow, CreateButton, CreateEmbed, CreateEmbedFooter,
    CreateInteractionResponseFollowup, CreateMessage, EditInteractionResponse, EditMessage,
};

/// Discord's limits.
const CONTENT_MAX: usize = 2000;
const TITLE_MAX: usize = 256;
const DESCRIPTION_MAX: usize = 4096;
const FIELD_NAME_MAX: usize = 256;
const FIELD_VALUE_MAX: usize = 1024;
const FIELDS_MAX: usize = 25;
const FOOTER_MAX: usize = 2048;
const LABEL_MAX: usize = 80;
const CUSTOM_ID_MAX: usize = 100;
const BUTTONS_PER_ROW: usize = 5;
const ROWS_MAX: usize = 5;
/// Discord's blurple, for the embed's side bar.
const COLOUR: u32 = 0x5865F2;

fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(max - 1).collect::<String>())
    }
}

/// A button's custom id: the action and its target, `ticket.solved|42`.
pub fn custom_id(action: &str, value: &str) -> String {
    cut(&format!("{action}|{value}"), CUSTOM_ID_MAX)
}

/// The action and value of a custom id made by [`custom_id`].
pub fn parse_custom_id(id: &str) -> (String, String) {
    match id.split_once('|') {
        Some((a, v)) => (a.to_string(), v.to_string()),
        None => (id.to_string(), String::new()),
    }
}

fn embed(c: &Card) -> CreateEmbed {
    let mut e = CreateEmbed::new()
        .title(cut(&c.title, TITLE_MAX))
        .colour(COLOUR);
    if !c.body.is_empty() {
        e = e.description(cut(&c.body, DESCRIPTION_MAX));
    }
    let mut fields: Vec<(String, String, bool)> = c
        .fields
        .iter()
        .map(|f| {
            (
                cut(&f.name, FIELD_NAME_MAX),
                cut(&f.value, FIELD_VALUE_MAX),
                f.value.len() <= 40,
            )
        })
        .collect();
    if !c.citations.is_empty() {
        let links: Vec<String> = c
            .citations
            .iter()
            .map(|s| format!("[{}]({})", s.title.replace(['[', ']'], ""), s.link))
            .collect();
        fields.push((
            "📖 Source".into(),
            cut(&links.join("\n"), FIELD_VALUE_MAX),
            false,
        ));
    }
    fields.truncate(FIELDS_MAX);
    e = e.fields(fields);
    if let Some(f) = c.footer.as_ref().filter(|f| **f != c.body) {
        e = e.footer(CreateEmbedFooter::new(cut(f, FOOTER_MAX)));
    }
    e
}

fn rows(c: &Card) -> Vec<CreateActionRow> {
    c.buttons
        .chunks(BUTTONS_PER_ROW)
        .take(ROWS_MAX)
        .map(|chunk| {
            CreateActionRow::Buttons(
                chunk
                    .iter()
                    .map(|b| {
                        let style = match b.style {
                            ButtonStyle::Primary => DButtonStyle::Primary,
                            ButtonStyle::Danger => DButtonStyle::Danger,
                            ButtonStyle::Default => DButtonStyle::Secondary,
                        };
                        // A button that asks first is marked; the click opens a modal with the question.
                        let action = if b.asks.is_some() {
                            format!("{}{}", b.action, super::modal::ASK)
                        } else {
                            b.action.clone()
                        };
                        CreateButton::new(custom_id(&action, &b.value))
                            .label(cut(&b.label, LABEL_MAX))
                            .style(style)
                    })
                    .collect(),
            )
        })
        .collect()
}

/// The parts of a rendered reply: content, embeds, component rows.
pub struct Rendered {
    pub content: String,
    pub embeds: Vec<CreateEmbed>,
    pub rows: Vec<CreateActionRow>,
}

pub fn render(reply: &Reply) -> Rendered {
    match reply {
        Reply::Text { text } => Rendered {
            content: cut(text, CONTENT_MAX),
            embeds: vec![],
            rows: vec![],
        },
        Reply::Card(c) => Rendered {
            content: String::new(),
            embeds: vec![embed(c)],
            rows: rows(c),
        },
        Reply::File { title, .. } => Rendered {
            content: cut(title, CONTENT_MAX),
            embeds: vec![],
            rows: vec![],
        },
    }
}

/// A file reply's bytes (the outbox keeps them in base64); a bad encoding is an error that will not fix itself.
pub fn file_bytes(data_b64: &str) -> Result<Vec<u8>, crate::chat::RenderError> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(data_b64)
        .map_err(|e| crate::chat::RenderError::NotBase64(e.to_string()))
}

pub fn create_message(reply: &Reply) -> Result<CreateMessage, crate::chat::RenderError> {
    let r = render(reply);
    let m = CreateMessage::new()
        .content(r.content)
        .embeds(r.embeds)
        .components(r.rows);
    Ok(match reply {
        Reply::File { name, data_b64, .. } => m.add_file(serenity::all::CreateAttachment::bytes(
            file_bytes(data_b64)?,
            name.clone(),
        )),
        _ => m,
    })
}

/// An edit replaces everything: content, embeds and buttons (none left means none shown).
pub fn edit_message(reply: &Reply) -> EditMessage {
    let r = render(reply);
    EditMessage::new()
        .content(r.content)
        .embeds(r.embeds)
        .components(r.rows)
}

pub fn followup(reply: &Reply) -> CreateInteractionResponseFollowup {
    let r = render(reply);
    CreateInteractionResponseFollowup::new()
        .content(r.content)
        .embeds(r.embeds)
        .components(r.rows)
        .ephemeral(true)
}

pub fn edit_original(reply: &Reply) -> EditInteractionResponse {
    let r = render(reply);
    EditInteractionResponse::new()
        .content(r.content)
        .embeds(r.embeds)
        .components(r.rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::support::CustomerButton;
    use crate::domain::{Button, Citation, Field};

    #[test]
    fn cards_become_an_embed_with_button_rows() {
        let card = Card {
            title: "From our docs".into(),
            body: "Use Settings → Billing".into(),
            fields: vec![Field {
                name: "Plan".into(),
                value: "Pro".into(),
            }],
            citations: vec![Citation {
                title: "Billing [guide]".into(),
                link: "https://docs.example.com/billing".into(),
                ..Default::default()
            }],
            buttons: (0..7)
                .map(|i| Button::new(&format!("B{i}"), CustomerButton::Solved, i.to_string()))
                .collect(),
            footer: Some("asked by 42".into()),
        };
        let msg = serde_json::to_value(create_message(&Reply::Card(card)).unwrap()).unwrap();
        let e = &msg["embeds"][0];
        assert_eq!(e["title"], "From our docs");
        assert_eq!(
            e["fields"][1]["value"],
            "[Billing guide](https://docs.example.com/billing)"
        );
        assert_eq!(e["footer"]["text"], "asked by 42");
        let rows = msg["components"].as_array().unwrap();
        assert_eq!(rows.len(), 2, "5 buttons per row");
        assert_eq!(rows[0]["components"][0]["custom_id"], "ticket.solved|0");
        assert_eq!(rows[1]["components"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn custom_ids_round_trip_and_respect_the_limit() {
        assert_eq!(
            parse_custom_id(&custom_id("ticket.human", "42")),
            ("ticket.human".into(), "42".into())
        );
        assert_eq!(
            custom_id("a", &"x".repeat(500)).chars().count(),
            CUSTOM_ID_MAX
        );
        assert_eq!(parse_custom_id("plain"), ("plain".into(), String::new()));
    }
}
