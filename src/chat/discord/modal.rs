//! Buttons that ask a question first (Deny → "why?"): the click is answered with a modal (the question
//! comes from the card as posted), and the modal's submission comes back as the click with its answer.

use super::inbound::{Place, interaction_event};
use super::render::parse_custom_id;
use crate::domain::{Event, EventKind, Millis};
use serenity::all::{
    ActionRowComponent, CreateActionRow, CreateInputText, CreateModal, InputTextStyle,
    ModalInteraction,
};

/// A button whose action ends with this asks before it counts.
pub const ASK: char = '?';
const PREFIX: &str = "ask|";

/// The click's action without the marker, when its button asks.
pub fn asking(custom_id: &str) -> Option<(String, String)> {
    let (action, value) = parse_custom_id(custom_id);
    action.strip_suffix(ASK).map(|a| (a.to_string(), value))
}

/// The modal for `question`; its custom id carries the action and its target.
pub fn modal(action: &str, value: &str, question: &str) -> CreateModal {
    let label: String = question.chars().take(45).collect();
    let input = CreateInputText::new(InputTextStyle::Paragraph, label, "answer")
        .max_length(1000)
        .required(true);
    CreateModal::new(
        format!("{PREFIX}{action}|{value}")
            .chars()
            .take(100)
            .collect::<String>(),
        "opsdesk",
    )
    .components(vec![CreateActionRow::InputText(input)])
}

/// A submitted question modal as the click it completes.
pub fn from_modal(m: &ModalInteraction, place: Place, now: Millis) -> Option<Event> {
    let (action, value) = parse_custom_id(m.data.custom_id.strip_prefix(PREFIX)?);
    let answer = m
        .data
        .components
        .iter()
        .flat_map(|row| row.components.iter())
        .find_map(|c| match c {
            ActionRowComponent::InputText(t) if t.custom_id == "answer" => t.value.clone(),
            _ => None,
        });
    let message = m
        .message
        .as_ref()
        .map(|x| x.id.to_string())
        .unwrap_or_default();
    let kind = EventKind::ButtonClicked {
        action,
        value,
        message,
        input: answer.map(|a| a.trim().to_string()),
    };
    Some(interaction_event(
        m.id.to_string(),
        place,
        &m.user,
        m.member.as_ref(),
        format!("btn:{}", m.token),
        now,
        kind,
    ))
}
