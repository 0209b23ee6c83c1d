//! A message as a template's body parameters: paragraphs into slots, white
//! space folded the way WhatsApp requires, and Meta's length limit.

use anyhow::Result;

/// The separator used when paragraphs are folded into one template parameter.
const FOLD: &str = " — ";
/// Meta's limit on a rendered template body, in characters.
const MAX_BODY: usize = 1024;

/// Maps a message onto a template's body parameters. WhatsApp allows no line
/// break or tab in a parameter, nor more than four spaces in a row, so each
/// paragraph becomes one parameter with its white space folded to single
/// spaces; paragraphs beyond the template's slots are folded into the last one.
/// The lines (1-based) whose line break `template_params` folds into a
/// space: a line followed by another in the same paragraph. Shown by the dry
/// run, so nobody is surprised that a list became one line.
pub fn folded_line_breaks(text: &str) -> Vec<usize> {
    let lines: Vec<&str> = text.lines().collect();
    lines
        .windows(2)
        .enumerate()
        .filter(|(_, pair)| !pair[0].trim().is_empty() && !pair[1].trim().is_empty())
        .map(|(i, _)| i + 1)
        .collect()
}

pub fn template_params(
    text: &str,
    slots: usize,
    fixed_chars: usize,
) -> Result<Vec<String>, String> {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                paragraphs.push(current.join(" "));
                current.clear();
            }
        } else {
            current.extend(line.split_whitespace());
        }
    }
    if !current.is_empty() {
        paragraphs.push(current.join(" "));
    }
    if paragraphs.is_empty() {
        return Err("the message is empty".to_string());
    }
    if paragraphs.len() < slots {
        return Err(format!(
            "the template has {slots} body parameters but the message has {} paragraph(s); \
             write at least {slots} paragraphs separated by blank lines, or use a template with fewer parameters",
            paragraphs.len()
        ));
    }
    let rest = paragraphs.split_off(slots - 1).join(FOLD);
    paragraphs.push(rest);
    let length = fixed_chars + paragraphs.iter().map(|p| p.chars().count()).sum::<usize>();
    if length > MAX_BODY {
        return Err(format!(
            "the message is {length} characters as WhatsApp would show it (template text included); \
             WhatsApp allows at most {MAX_BODY}: shorten it by {}",
            length - MAX_BODY
        ));
    }
    Ok(paragraphs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_line_breaks_are_those_inside_a_paragraph() {
        assert_eq!(
            folded_line_breaks("One\ntwo\n\nThree\nfour\nfive"),
            [1, 4, 5]
        );
        assert!(folded_line_breaks("One\n\nTwo\n").is_empty());
        assert!(folded_line_breaks("Just one line").is_empty());
    }

    #[test]
    fn paragraphs_fill_slots_and_fold_into_the_last() {
        let text = "Shortage of amoxicillin\n250mg   capsules.\n\n\tUse the alternative.\r\n\n\nCall 0113 496 0000.";
        assert_eq!(
            template_params(text, 1, 0).unwrap(),
            [
                "Shortage of amoxicillin 250mg capsules. — Use the alternative. — Call 0113 496 0000."
            ]
        );
        assert_eq!(
            template_params(text, 2, 0).unwrap(),
            [
                "Shortage of amoxicillin 250mg capsules.",
                "Use the alternative. — Call 0113 496 0000."
            ]
        );
        for p in template_params(text, 3, 0).unwrap() {
            assert!(
                !p.contains('\n') && !p.contains('\t') && !p.contains("  "),
                "{p:?}"
            );
        }
    }

    #[test]
    fn text_that_cannot_fit_is_refused_with_the_reason() {
        assert!(
            template_params(" \n\t ", 1, 0)
                .unwrap_err()
                .contains("empty")
        );
        assert!(
            template_params("one paragraph", 2, 0)
                .unwrap_err()
                .contains("2 body parameters")
        );
        let long = "x".repeat(1000);
        assert!(template_params(&long, 1, 0).is_ok());
        let err = template_params(&long, 1, 30).unwrap_err();
        assert!(
            err.contains("1030 characters") && err.contains("shorten it by 6"),
            "{err}"
        );
    }
}
