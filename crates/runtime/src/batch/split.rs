//! Splitting more than 50 commands into several batches, refusing references that would cross
//! a split (a later batch cannot see an earlier batch's `$result`) or point forward.

use std::collections::HashMap;

use super::command::Command;
use super::refs::referenced_commands;
use crate::error::Error;

/// The most commands one `batch` call accepts.
pub const MAX_COMMANDS: usize = 50;

/// Cut `commands` into chunks of at most `MAX_COMMANDS`, in order.
pub(crate) fn split(commands: &[Command]) -> Result<Vec<&[Command]>, Error> {
    let mut position = HashMap::new();
    for (i, command) in commands.iter().enumerate() {
        if position.insert(command.name.as_str(), i).is_some() {
            return Err(Error::Batch(format!(
                "two commands are named {:?}",
                command.name
            )));
        }
    }
    for (i, command) in commands.iter().enumerate() {
        for target in referenced_commands(&command.params) {
            check_reference(command, i, &target, position.get(target.as_str()).copied())?;
        }
    }
    Ok(commands.chunks(MAX_COMMANDS).collect())
}

fn check_reference(
    command: &Command,
    at: usize,
    target: &str,
    target_at: Option<usize>,
) -> Result<(), Error> {
    let name = &command.name;
    let Some(target_at) = target_at else {
        return Err(Error::Batch(format!(
            "command {name} refers to $result[{target}], but no command has that name"
        )));
    };
    if target_at >= at {
        return Err(Error::Batch(format!(
            "command {name} refers to $result[{target}], which runs after it"
        )));
    }
    if target_at / MAX_COMMANDS != at / MAX_COMMANDS {
        return Err(Error::Batch(format!(
            "command {name} (#{}) refers to $result[{target}] (#{}), but more than {MAX_COMMANDS} commands are split into \
             several batches and these two land in different ones; move them closer or call them separately",
            at + 1,
            target_at + 1
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn command(name: String, params: serde_json::Value) -> Command {
        Command::raw(name, "crm.deal.get", params).unwrap()
    }

    #[test]
    fn splits_into_chunks_of_fifty() {
        let commands: Vec<_> = (0..120)
            .map(|i| command(format!("c{i}"), json!({"id": i})))
            .collect();
        let chunks = split(&commands).unwrap();
        assert_eq!(
            chunks.iter().map(|c| c.len()).collect::<Vec<_>>(),
            vec![50, 50, 20]
        );
    }

    #[test]
    fn references_within_a_chunk_are_fine() {
        let commands: Vec<_> = (0..60)
            .map(|i| {
                command(
                    format!("c{i}"),
                    if i == 0 || i == 50 {
                        json!({})
                    } else {
                        json!({"id": format!("$result[c{}][ID]", i - 1)})
                    },
                )
            })
            .collect();
        assert_eq!(split(&commands).unwrap().len(), 2);
    }

    #[test]
    fn references_across_a_split_are_refused_clearly() {
        let commands: Vec<_> = (0..51)
            .map(|i| {
                command(
                    format!("c{i}"),
                    if i == 50 {
                        json!({"id": "$result[c49][ID]"})
                    } else {
                        json!({})
                    },
                )
            })
            .collect();
        let err = split(&commands).unwrap_err().to_string();
        assert!(
            err.contains("c50") && err.contains("c49") && err.contains("different"),
            "{err}"
        );
    }

    #[test]
    fn forward_unknown_and_duplicate_references_are_refused() {
        let forward = vec![
            command("a".into(), json!({"id": "$result[b]"})),
            command("b".into(), json!({})),
        ];
        assert!(split(&forward).unwrap_err().to_string().contains("after"));
        let unknown = vec![command("a".into(), json!({"id": "$result[zzz]"}))];
        assert!(split(&unknown)
            .unwrap_err()
            .to_string()
            .contains("no command"));
        let dup = vec![
            command("a".into(), json!({})),
            command("a".into(), json!({})),
        ];
        assert!(split(&dup).is_err());
    }
}
