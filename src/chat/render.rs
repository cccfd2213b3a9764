//! Plain-text rendering of replies for the console (and logs): cards with numbered buttons.

use crate::domain::{Button, Reply};

/// Renders a reply; `first_choice` is the number shown on its first button.
pub fn text(reply: &Reply, first_choice: usize) -> String {
    let mut s = match reply {
        Reply::Text { text } => text.clone(),
        Reply::File {
            name,
            title,
            data_b64,
        } => format!("📎 {title} ({name}, {} KB)", data_b64.len() * 3 / 4 / 1024),
        Reply::Card(c) => {
            let mut s = format!("┃ {}", c.title);
            for line in c.body.lines() {
                s.push_str(&format!("\n┃ {line}"));
            }
            for f in &c.fields {
                s.push_str(&format!("\n┃ {}: {}", f.name, f.value));
            }
            for cit in &c.citations {
                s.push_str(&format!("\n┃ Source: {} <{}>", cit.title, cit.link));
            }
            if let Some(f) = &c.footer
                && f != &c.body
            {
                s.push_str(&format!("\n┃ {f}"));
            }
            s
        }
    };
    let buttons: &[Button] = reply.buttons();
    if !buttons.is_empty() {
        let labels: Vec<String> = buttons
            .iter()
            .enumerate()
            .map(|(i, b)| format!("[{}] {}", first_choice + i, b.label))
            .collect();
        s.push_str(&format!("\n  {}", labels.join("   ")));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::support::CustomerButton;
    use crate::domain::{Card, Citation};

    #[test]
    fn cards_show_citations_and_numbered_buttons() {
        let r = Reply::Card(Card {
            title: "From our docs".into(),
            body: "> Click Forgot password.".into(),
            citations: vec![Citation {
                title: "Passwords".into(),
                link: "https://d/p#r".into(),
                ..Default::default()
            }],
            buttons: vec![
                Button::new("Solved ✅", CustomerButton::Solved, "1"),
                Button::new("Talk to a human", CustomerButton::Human, "1"),
            ],
            ..Default::default()
        });
        let s = text(&r, 3);
        assert!(s.contains("┃ Source: Passwords <https://d/p#r>"), "{s}");
        assert!(s.ends_with("[3] Solved ✅   [4] Talk to a human"), "{s}");
    }
}
