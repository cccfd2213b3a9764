//! `/ops` as a Discord application command, derived from the same clap grammar the other platforms
//! parse (a subcommand per command, a typed option per flag), and an invocation's options turned back
//! into that grammar's argument line.

use serenity::all::{CommandDataOption, CommandDataOptionValue, CommandOptionType, CreateCommand, CreateCommandOption};

fn describe(s: Option<&clap::builder::StyledStr>, fallback: &str) -> String {
    let text = s.map(|s| s.to_string()).unwrap_or_else(|| fallback.to_string());
    let first = text.lines().next().unwrap_or(fallback).trim_end_matches('.');
    first.chars().take(100).collect()
}

/// The `/ops` command with one subcommand per `/ops` command and one option per flag.
pub fn ops_command() -> CreateCommand {
    let cli = crate::commands::definition();
    let mut cmd = CreateCommand::new("ops").description("opsdesk founders' commands");
    for sub in cli.get_subcommands() {
        let mut opt = CreateCommandOption::new(CommandOptionType::SubCommand, sub.get_name(), describe(sub.get_about(), sub.get_name()));
        for arg in sub.get_arguments().filter(|a| !a.is_positional()) {
            let Some(long) = arg.get_long() else { continue };
            if long == "help" {
                continue;
            }
            let kind = if matches!(arg.get_action(), clap::ArgAction::SetTrue) {
                CommandOptionType::Boolean
            } else if arg.get_value_parser().type_id() == std::any::TypeId::of::<i64>() {
                CommandOptionType::Integer
            } else {
                CommandOptionType::String
            };
            opt = opt.add_sub_option(CreateCommandOption::new(kind, long, describe(arg.get_help(), long)).required(arg.is_required_set()));
        }
        cmd = cmd.add_option(opt);
    }
    cmd
}

/// `/ops tickets escalated:true limit:5` → `tickets --escalated --limit 5`.
pub fn args_of(options: &[CommandDataOption]) -> String {
    let mut parts: Vec<String> = vec![];
    for o in options {
        match &o.value {
            CommandDataOptionValue::SubCommand(inner) => {
                parts.push(o.name.clone());
                if !inner.is_empty() {
                    parts.push(args_of(inner));
                }
            }
            CommandDataOptionValue::Boolean(true) => parts.push(format!("--{}", o.name)),
            CommandDataOptionValue::Boolean(false) => {}
            CommandDataOptionValue::Integer(i) => parts.push(format!("--{} {i}", o.name)),
            CommandDataOptionValue::Number(n) => parts.push(format!("--{} {n}", o.name)),
            CommandDataOptionValue::String(s) => parts.push(format!("--{} {s}", o.name)),
            _ => {}
        }
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_ops_command_becomes_a_typed_subcommand() {
        let json = serde_json::to_value(ops_command()).unwrap();
        assert_eq!(json["name"], "ops");
        let subs: Vec<&str> = json["options"].as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap()).collect();
        assert_eq!(subs, ["status", "tickets", "metrics"]);
        let tickets = &json["options"][1];
        assert_eq!(tickets["type"], 1);
        let opts: Vec<(String, u64)> = tickets["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| (o["name"].as_str().unwrap().to_string(), o["type"].as_u64().unwrap()))
            .collect();
        assert_eq!(opts, [("escalated".to_string(), 5), ("all".to_string(), 5), ("limit".to_string(), 4)]);
        assert!(json.to_string().len() < 4000);
    }

    #[test]
    fn options_become_the_argument_line() {
        let opts: Vec<CommandDataOption> = serde_json::from_value(serde_json::json!([
            {"name": "tickets", "type": 1, "options": [{"name": "escalated", "type": 5, "value": true}, {"name": "limit", "type": 4, "value": 5}]}
        ]))
        .unwrap();
        assert_eq!(args_of(&opts), "tickets --escalated --limit 5");
    }
}
