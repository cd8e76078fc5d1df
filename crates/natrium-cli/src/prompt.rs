//! Questions for people at a terminal: the settings a command line left out (`stream add`,
//! `consumer add`, `consumer pause`) and confirmations before destructive commands.
//!
//! As the `nats` CLI, `natrium` asks only when both stdin and stdout are terminals; a
//! script, a pipe or CI never sees a question. Commands ask through [`Ask`], so their
//! question flows are tested with scripted answers and run for real with [`Terminal`].

use std::io::IsTerminal;

use dialoguer::console::Term;
use dialoguer::theme::ColorfulTheme;
use dialoguer::{Confirm, Input, Select};

use crate::Error;

/// Checks an answer: `Err` says what is wrong with it.
pub type Check<'a> = &'a dyn Fn(&str) -> Result<(), String>;

/// Something that answers questions: a person at a terminal, or a test's script.
pub trait Ask {
    /// A line of text; an empty answer means `default` (or "" without one). An answer
    /// `check` refuses is asked again at a terminal.
    fn text(
        &mut self,
        prompt: &str,
        default: Option<&str>,
        check: Check<'_>,
    ) -> Result<String, Error>;
    /// One of `options`, by index; `default` is preselected.
    fn select(&mut self, prompt: &str, options: &[&str], default: usize) -> Result<usize, Error>;
    /// Yes or no.
    fn confirm(&mut self, prompt: &str, default: bool) -> Result<bool, Error>;
}

/// Whether questions can be asked: stdin and stdout are both terminals, as the `nats` CLI
/// requires.
pub fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

/// The person at the terminal, asked through `dialoguer` on stdout.
#[derive(Default)]
pub struct Terminal {
    theme: ColorfulTheme,
}

fn term_error(e: dialoguer::Error) -> Error {
    match e {
        dialoguer::Error::IO(io) => Error::io("terminal", io),
    }
}

impl Ask for Terminal {
    fn text(
        &mut self,
        prompt: &str,
        default: Option<&str>,
        check: Check<'_>,
    ) -> Result<String, Error> {
        let mut input = Input::<String>::with_theme(&self.theme)
            .with_prompt(prompt)
            .allow_empty(true)
            .validate_with(|s: &String| check(s));
        if let Some(d) = default {
            input = input.default(d.to_owned());
        }
        let answer = input
            .interact_text_on(&Term::stdout())
            .map_err(term_error)?;
        Ok(answer.trim().to_owned())
    }

    fn select(&mut self, prompt: &str, options: &[&str], default: usize) -> Result<usize, Error> {
        Select::with_theme(&self.theme)
            .with_prompt(prompt)
            .items(options)
            .default(default)
            .interact_on(&Term::stdout())
            .map_err(term_error)
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> Result<bool, Error> {
        Confirm::with_theme(&self.theme)
            .with_prompt(prompt)
            .default(default)
            .interact_on(&Term::stdout())
            .map_err(term_error)
    }
}

/// Asks before a destructive action unless `force`. Without a terminal it refuses, as the
/// `nats` CLI does, so nothing is deleted by a script that forgot `--force`.
pub fn confirm(force: bool, question: &str) -> Result<(), Error> {
    if force {
        return Ok(());
    }
    if !interactive() {
        return Err(Error::Usage(format!(
            "{}: refusing without --force when not interactive",
            question.trim_end_matches('?')
        )));
    }
    if Terminal::default().confirm(question, false)? {
        Ok(())
    } else {
        Err(Error::Usage("aborted".into()))
    }
}

/// A required line of text.
pub fn required(ask: &mut dyn Ask, prompt: &str, check: Check<'_>) -> Result<String, Error> {
    let check = |s: &str| {
        if s.trim().is_empty() {
            Err("a value is required".to_owned())
        } else {
            check(s)
        }
    };
    ask.text(prompt, None, &check)
}

/// A line of text that may be empty.
pub fn optional(ask: &mut dyn Ask, prompt: &str) -> Result<Option<String>, Error> {
    let answer = ask.text(prompt, None, &|_| Ok(()))?;
    Ok((!answer.is_empty()).then_some(answer))
}

/// A value `parse` accepts; an empty answer takes `default`.
pub fn parsed<T>(
    ask: &mut dyn Ask,
    prompt: &str,
    default: &str,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Result<T, Error> {
    let answer = ask.text(prompt, Some(default), &|s: &str| {
        parse(if s.is_empty() { default } else { s }).map(|_| ())
    })?;
    let answer = if answer.is_empty() { default } else { &answer };
    parse(answer).map_err(|e| Error::Usage(format!("{prompt}: {e}")))
}

/// An integer.
pub fn integer(ask: &mut dyn Ask, prompt: &str, default: &str) -> Result<i64, Error> {
    parsed(ask, prompt, default, |s| {
        s.trim()
            .parse::<i64>()
            .map_err(|_| format!("{s:?} is not a whole number"))
    })
}

/// Words separated by spaces or commas, as the `nats` CLI reads subject lists.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Answers from a list, for tests of question flows: each entry names a part of the
/// question it expects and the answer typed ("" takes the default; "y"/"n" for
/// confirmations; an option's text for selections).
#[cfg(test)]
pub struct Script {
    answers: std::collections::VecDeque<(&'static str, &'static str)>,
    /// Every question asked, in order.
    pub asked: Vec<String>,
}

#[cfg(test)]
impl Script {
    /// A script of `(part of the question, answer)` pairs.
    pub fn new(answers: &[(&'static str, &'static str)]) -> Self {
        Self {
            answers: answers.iter().copied().collect(),
            asked: Vec::new(),
        }
    }

    fn next(&mut self, prompt: &str) -> &'static str {
        self.asked.push(prompt.to_owned());
        let Some((expect, answer)) = self.answers.pop_front() else {
            panic!("unexpected question {prompt:?}");
        };
        assert!(
            prompt.contains(expect),
            "asked {prompt:?}, the script expected {expect:?}"
        );
        answer
    }

    /// Panics unless every scripted answer was used.
    pub fn finish(&self) {
        assert!(
            self.answers.is_empty(),
            "questions never asked: {:?}",
            self.answers
        );
    }
}

#[cfg(test)]
impl Ask for Script {
    fn text(
        &mut self,
        prompt: &str,
        _default: Option<&str>,
        check: Check<'_>,
    ) -> Result<String, Error> {
        let answer = self.next(prompt);
        check(answer).map_err(Error::Usage)?;
        Ok(answer.to_owned())
    }

    fn select(&mut self, prompt: &str, options: &[&str], default: usize) -> Result<usize, Error> {
        let answer = self.next(prompt);
        if answer.is_empty() {
            return Ok(default);
        }
        options
            .iter()
            .position(|o| *o == answer)
            .ok_or_else(|| Error::Usage(format!("{answer:?} is not one of {options:?}")))
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> Result<bool, Error> {
        Ok(match self.next(prompt) {
            "" => default,
            a => a.starts_with('y'),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_on_spaces_and_commas() {
        assert_eq!(words(" a.> b,c ,, d "), ["a.>", "b", "c", "d"]);
        assert!(words("  ").is_empty());
    }

    #[test]
    fn parsed_answers_fall_back_to_the_default_and_are_checked() {
        let mut s = Script::new(&[("Replicas", ""), ("Replicas", "3"), ("Replicas", "x")]);
        assert_eq!(integer(&mut s, "Replicas", "1").unwrap(), 1);
        assert_eq!(integer(&mut s, "Replicas", "1").unwrap(), 3);
        let err = integer(&mut s, "Replicas", "1").unwrap_err().to_string();
        assert!(err.contains("not a whole number"), "{err}");
        s.finish();
    }

    #[test]
    fn required_refuses_an_empty_answer() {
        let mut s = Script::new(&[("Name", "")]);
        assert!(required(&mut s, "Name", &|_| Ok(())).is_err());
    }

    #[test]
    fn confirm_refuses_without_a_terminal_unless_forced() {
        assert!(confirm(true, "Really delete").is_ok());
        // Test runs have no terminal on stdout (the harness captures it).
        if !interactive() {
            let err = confirm(false, "Really delete Stream X").unwrap_err();
            assert!(
                err.to_string().contains("refusing without --force"),
                "{err}"
            );
        }
    }
}
