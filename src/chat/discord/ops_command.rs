//! `/ops` as a Discord application command, derived from the same clap grammar the other platforms
//! parse (a subcommand per command, a typed option per flag), and an invocation's options turned back
//! into that grammar's argument line.

use serenity::all::{
    CommandDataOption, CommandDataOptionValue, CommandOptionType, CreateCommand,
    CreateCommandOption, Permissions,
};

fn describe(s: Option<&clap::builder::StyledStr>, fallback: &str) -> String {
    let text = s
        .map(|s| s.to_string())
        .unwrap_or_else(|| fallback.to_string());
    let first = text
        .lines()
        .next()
        .unwrap_or(fallback)
        .trim_end_matches('.');
    first.chars().take(100).collect()
}

/// The `/ops` command with one subcommand per `/ops` command and one option per flag.
pub fn ops_command() -> CreateCommand {
    let cli = crate::commands::definition();
    // Only administrators see `/ops` until a server opens it to a role (Server Settings →
    // Integrations → opsdesk); opsdesk still checks every use against `ops.allowed_users`.
    let mut cmd = CreateCommand::new("ops")
        .description("opsdesk founders' commands")
        .default_member_permissions(Permissions::ADMINISTRATOR);
    for sub in cli.get_subcommands() {
        cmd = cmd.add_option(sub_option(sub));
    }
    cmd
}

/// A command as a Discord subcommand with an option per flag; a command with its own subcommands
/// (`kb gaps`) as a subcommand group.
fn sub_option(sub: &clap::Command) -> CreateCommandOption {
    let about = describe(sub.get_about(), sub.get_name());
    if sub.has_subcommands() {
        let mut group =
            CreateCommandOption::new(CommandOptionType::SubCommandGroup, sub.get_name(), about);
        for inner in sub.get_subcommands() {
            group = group.add_sub_option(sub_option(inner));
        }
        return group;
    }
    let mut opt = CreateCommandOption::new(CommandOptionType::SubCommand, sub.get_name(), about);
    // Positional arguments first: Discord wants required options before optional ones.
    let mut args: Vec<&clap::Arg> = sub
        .get_arguments()
        .filter(|a| a.get_id() != "help")
        .collect();
    args.sort_by_key(|a| !(a.is_positional() && a.is_required_set()));
    for arg in args {
        let name = arg
            .get_long()
            .map(str::to_string)
            .unwrap_or_else(|| arg.get_id().to_string());
        let long = name.as_str();
        let kind = if matches!(arg.get_action(), clap::ArgAction::SetTrue) {
            CommandOptionType::Boolean
        } else if arg.get_value_parser().type_id() == std::any::TypeId::of::<i64>() {
            CommandOptionType::Integer
        } else {
            CommandOptionType::String
        };
        opt = opt.add_sub_option(
            CreateCommandOption::new(kind, long, describe(arg.get_help(), long))
                .required(arg.is_required_set()),
        );
    }
    opt
}

/// `/ops tickets escalated:true limit:5` → `tickets --escalated --limit 5`; positional arguments
/// (`/ops runbook name:restart-api reason:stuck`) come back as bare values, in the grammar's order.
pub fn args_of(options: &[CommandDataOption]) -> String {
    let mut grammar = crate::commands::definition();
    grammar.build(); // numbers the positional arguments
    let mut parts: Vec<String> = vec![];
    for o in options {
        match &o.value {
            CommandDataOptionValue::SubCommand(inner)
            | CommandDataOptionValue::SubCommandGroup(inner) => {
                sub_args(&grammar, &o.name, inner, &mut parts)
            }
            // An option of a command without subcommands: a flag or a value.
            CommandDataOptionValue::Boolean(true) => parts.push(format!("--{}", o.name)),
            v => parts.extend(value(v).map(|s| format!("--{} {s}", o.name))),
        }
    }
    parts.join(" ")
}

fn value(v: &CommandDataOptionValue) -> Option<String> {
    match v {
        CommandDataOptionValue::Integer(i) => Some(i.to_string()),
        CommandDataOptionValue::Number(n) => Some(n.to_string()),
        CommandDataOptionValue::String(s) => Some(s.clone()),
        _ => None,
    }
}

/// Subcommand `name` of `parent` with its options (or, for a group, its chosen subcommand).
fn sub_args(
    parent: &clap::Command,
    name: &str,
    inner: &[CommandDataOption],
    parts: &mut Vec<String>,
) {
    parts.push(name.to_string());
    let Some(sub) = parent.find_subcommand(name) else {
        return;
    };
    let mut positional: Vec<(usize, String)> = vec![];
    for opt in inner {
        if let CommandDataOptionValue::SubCommand(nested) = &opt.value {
            sub_args(sub, &opt.name, nested, parts);
            continue;
        }
        let arg = sub
            .get_arguments()
            .find(|a| a.get_long() == Some(opt.name.as_str()) || a.get_id() == opt.name.as_str());
        match (arg, &opt.value) {
            (Some(a), v) if a.is_positional() => {
                positional.extend(value(v).map(|s| (a.get_index().unwrap_or(0), s)))
            }
            (_, CommandDataOptionValue::Boolean(true)) => parts.push(format!("--{}", opt.name)),
            (_, CommandDataOptionValue::Boolean(false)) => {}
            (_, v) => parts.extend(value(v).map(|s| format!("--{} {s}", opt.name))),
        }
    }
    positional.sort_by_key(|(i, _)| *i);
    parts.extend(positional.into_iter().map(|(_, s)| s));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_ops_command_becomes_a_typed_subcommand() {
        let json = serde_json::to_value(ops_command()).unwrap();
        assert_eq!(json["name"], "ops");
        let subs: Vec<&str> = json["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            subs,
            [
                "status",
                "tickets",
                "metrics",
                "alerts",
                "finance",
                "approvals",
                "audit",
                "refund",
                "runbook",
                "webhook",
                "ask",
                "link",
                "unlink",
                "kb"
            ]
        );
        let tickets = &json["options"][1];
        assert_eq!(tickets["type"], 1);
        let opts: Vec<(String, u64)> = tickets["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| {
                (
                    o["name"].as_str().unwrap().to_string(),
                    o["type"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            opts,
            [
                ("escalated".to_string(), 5),
                ("all".to_string(), 5),
                ("limit".to_string(), 4)
            ]
        );
        // Discord's limit: the names and descriptions of a command and its options total at most 8000 characters.
        fn text(v: &serde_json::Value) -> usize {
            v["name"].as_str().map_or(0, str::len)
                + v["description"].as_str().map_or(0, str::len)
                + v["options"]
                    .as_array()
                    .map_or(0, |o| o.iter().map(text).sum())
        }
        assert!(text(&json) < 8000);
        let kb = &json["options"][13];
        assert_eq!(kb["type"], 2, "a subcommand group");
        assert_eq!(kb["options"][0]["name"], "gaps");
        assert_eq!(kb["options"][0]["type"], 1);
        assert_eq!(kb["options"][0]["options"][0]["name"], "since");
    }

    #[test]
    fn options_become_the_argument_line() {
        let opts: Vec<CommandDataOption> = serde_json::from_value(serde_json::json!([
            {"name": "tickets", "type": 1, "options": [{"name": "escalated", "type": 5, "value": true}, {"name": "limit", "type": 4, "value": 5}]}
        ]))
        .unwrap();
        assert_eq!(args_of(&opts), "tickets --escalated --limit 5");
        let opts: Vec<CommandDataOption> = serde_json::from_value(serde_json::json!([
            {"name": "runbook", "type": 1, "options": [{"name": "reason", "type": 3, "value": "api is stuck"}, {"name": "name", "type": 3, "value": "restart-api"}]}
        ]))
        .unwrap();
        assert_eq!(
            args_of(&opts),
            "runbook restart-api api is stuck",
            "positionals as bare values, in order"
        );
        let opts: Vec<CommandDataOption> = serde_json::from_value(serde_json::json!([
            {"name": "kb", "type": 2, "options": [{"name": "gaps", "type": 1, "options": [{"name": "since", "type": 3, "value": "30d"}]}]}
        ]))
        .unwrap();
        assert_eq!(args_of(&opts), "kb gaps --since 30d", "a subcommand group");
    }

    #[test]
    fn positional_arguments_become_options_required_first() {
        let json = serde_json::to_value(ops_command()).unwrap();
        let runbook = json["options"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["name"] == "runbook")
            .unwrap();
        let opts: Vec<(&str, bool)> = runbook["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| {
                (
                    o["name"].as_str().unwrap(),
                    o["required"].as_bool().unwrap(),
                )
            })
            .collect();
        assert_eq!(opts, [("name", true), ("reason", false)]);
    }
}
