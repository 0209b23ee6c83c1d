//! What an inbound message means, decided without a database: the
//! message, the member it comes from (if any) and whether it answers one of
//! our broadcasts go in; what to do comes out. [`super::apply`] carries the
//! decision out (like `lapsed::Judge`, the rule is testable on its own).

use super::opt_out_words::{self, OptOutWords};
use crate::config::OptOutPhrases;
use crate::event::{Content, InboundMessage};
use crate::members::{MemberStatus, OptOutVia};
use crate::phone::E164;

/// Whole-message words that opt a member out at once.
const STOP_WORDS: [&str; 3] = ["STOP", "UNSUBSCRIBE", "LEAVE"];
/// Whole-message words that bring an opted-out member back.
const START_WORDS: [&str; 2] = ["START", "JOIN"];

/// What a new (not an edit or a deletion) message asks mot to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// STOP (typed or tapped): the sender leaves, member or not; or, when
    /// `[inbound] opt_out_phrases = "opt_out"`, a member's plain request to
    /// leave (`OptOutVia::Words`).
    OptOut(OptOutVia),
    /// WhatsApp says the member's number changed to this id (if it gave one).
    ChangeNumber(Option<String>),
    /// An opted-out member asks to come back.
    OptIn,
    /// A member answers one of our broadcasts.
    Reply,
    /// A stranger's first written message: consent to keep the four details.
    Signup { phone: E164 },
    /// Anything else: kept against the member (or the number) only.
    Message,
}

/// Decides what a message means. `member` is the status of the member the
/// sender's number belongs to; `answers_broadcast` whether the message
/// names (quotes or reacts to) one of our broadcasts; `phrases` what a plain
/// request to leave does.
pub fn classify(
    m: &InboundMessage,
    member: Option<MemberStatus>,
    answers_broadcast: bool,
    phrases: OptOutPhrases,
) -> Decision {
    if says_stop(m) {
        return Decision::OptOut(OptOutVia::Stop);
    }
    if let Content::ChangedNumber { new_wa_id, .. } = &m.content {
        return Decision::ChangeNumber(new_wa_id.clone());
    }
    match member {
        Some(MemberStatus::OptedOut) if says_start(m) => Decision::OptIn,
        Some(status)
            if status != MemberStatus::OptedOut
                && phrases == OptOutPhrases::OptOut
                && asks_to_leave(m) == Some(OptOutWords::Clear) =>
        {
            Decision::OptOut(OptOutVia::Words)
        }
        Some(_) if answers_broadcast => Decision::Reply,
        Some(_) => Decision::Message,
        None => match signup_number(m) {
            Some(phone) => Decision::Signup { phone },
            None => Decision::Message,
        },
    }
}

/// Whether a member's typed message asks to leave in plain words, clearly
/// or probably ([`opt_out_words::judge`]); STOP itself is [`says_stop`]'s.
pub fn asks_to_leave(m: &InboundMessage) -> Option<OptOutWords> {
    match &m.content {
        Content::Text { body } if !says_stop(m) => opt_out_words::judge(body),
        _ => None,
    }
}

/// Whether a message is a START word (which never answers a request).
pub fn says_start(m: &InboundMessage) -> bool {
    keyword(m, &START_WORDS)
}

/// Whether a message asks to stop: a STOP word, or a stop button.
pub fn says_stop(m: &InboundMessage) -> bool {
    keyword(m, &STOP_WORDS) || stop_button(m)
}

/// The sender as an E.164 number, if the message carries one mot would
/// take from a person ([`crate::phone::from_wa_id`]), never one that merely
/// looks like digits.
pub fn sender(m: &InboundMessage) -> Option<E164> {
    crate::phone::from_wa_id(m.from.as_deref()?).ok()
}

/// The number a message from a stranger signs up, if it is consent: a
/// message the person wrote, from a number `members add` would take. Anything
/// else stays an inbound item with no member.
fn signup_number(m: &InboundMessage) -> Option<E164> {
    if !m.content.is_written() {
        return None;
    }
    sender(m)
}

fn keyword(m: &InboundMessage, words: &[&str]) -> bool {
    let is_word = |text: &str| {
        let word = text.trim().trim_end_matches(['.', '!']);
        words.iter().any(|w| w.eq_ignore_ascii_case(word))
    };
    match &m.content {
        Content::Text { body } => is_word(body),
        Content::Button { text, payload } => {
            text.as_deref().is_some_and(is_word) || payload.as_deref().is_some_and(is_word)
        }
        _ => false,
    }
}

/// A tapped quick-reply button that asks to stop: Meta's own "Stop promotions"
/// and any button labelled "Stop …" are as clear as the word STOP.
fn stop_button(m: &InboundMessage) -> bool {
    let Content::Button { text, payload } = &m.content else {
        return false;
    };
    let starts_stop = |t: &str| {
        let t = t.trim().to_ascii_lowercase();
        t == "stop" || t.starts_with("stop ")
    };
    text.as_deref().is_some_and(starts_stop) || payload.as_deref() == Some("mot:unsubscribe")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(from: Option<&str>, content: Content) -> InboundMessage {
        InboundMessage {
            id: "wamid.TEST".into(),
            from: from.map(str::to_owned),
            user_id: None,
            profile_name: None,
            timestamp: None,
            context_id: None,
            content,
        }
    }

    fn text(body: &str) -> InboundMessage {
        message(Some("447700900123"), Content::Text { body: body.into() })
    }

    #[test]
    fn stop_wins_over_everything_else() {
        for status in [
            None,
            Some(MemberStatus::Active),
            Some(MemberStatus::OptedOut),
        ] {
            for body in ["STOP", "stop.", " Unsubscribe!", "leave"] {
                assert_eq!(
                    classify(&text(body), status, true, OptOutPhrases::Flag),
                    Decision::OptOut(OptOutVia::Stop),
                    "{body}"
                );
            }
        }
        let tapped = message(
            Some("447700900123"),
            Content::Button {
                text: Some("Stop promotions".into()),
                payload: None,
            },
        );
        assert_eq!(
            classify(&tapped, None, false, OptOutPhrases::Flag),
            Decision::OptOut(OptOutVia::Stop)
        );
        // A sentence that contains the word is not the word.
        assert_ne!(
            classify(
                &text("please stop the deliveries"),
                Some(MemberStatus::Active),
                false,
                OptOutPhrases::Flag
            ),
            Decision::OptOut(OptOutVia::Stop)
        );
    }

    #[test]
    fn plain_words_opt_out_only_when_configured_and_only_clear_ones() {
        let active = Some(MemberStatus::Active);
        let clear = text("please remove me from this list");
        assert_eq!(asks_to_leave(&clear), Some(OptOutWords::Clear));
        assert_eq!(
            classify(&clear, active, false, OptOutPhrases::OptOut),
            Decision::OptOut(OptOutVia::Words)
        );
        // The default only flags it (in the inbox); a likely one never opts out.
        assert_eq!(
            classify(&clear, active, false, OptOutPhrases::Flag),
            Decision::Message
        );
        let likely = text("I'm retiring at the end of the month");
        assert_eq!(asks_to_leave(&likely), Some(OptOutWords::Likely));
        assert_eq!(
            classify(&likely, active, true, OptOutPhrases::OptOut),
            Decision::Reply
        );
        // A stranger's "remove me" is a sign-up message like any other first one.
        assert!(matches!(
            classify(&clear, None, false, OptOutPhrases::OptOut),
            Decision::Signup { .. }
        ));
        assert_eq!(asks_to_leave(&text("STOP")), None, "STOP is says_stop's");
    }

    #[test]
    fn a_member_replies_rejoins_or_just_writes() {
        let active = Some(MemberStatus::Active);
        assert_eq!(
            classify(&text("3 packs"), active, true, OptOutPhrases::Flag),
            Decision::Reply
        );
        assert_eq!(
            classify(&text("3 packs"), active, false, OptOutPhrases::Flag),
            Decision::Message
        );
        let out = Some(MemberStatus::OptedOut);
        assert_eq!(
            classify(&text("START"), out, false, OptOutPhrases::Flag),
            Decision::OptIn
        );
        // START from an active member, or from a stranger, is no opt-in.
        assert_eq!(
            classify(&text("start"), active, false, OptOutPhrases::Flag),
            Decision::Message
        );
        assert!(matches!(
            classify(&text("start"), None, false, OptOutPhrases::Flag),
            Decision::Signup { .. }
        ));
    }

    #[test]
    fn only_a_strangers_written_message_from_a_real_number_signs_up() {
        let Decision::Signup { phone } = classify(&text("Hello"), None, false, OptOutPhrases::Flag)
        else {
            panic!("a stranger's hello is a sign-up");
        };
        assert_eq!(phone.as_str(), "+447700900123");
        // No number (a username), or digits that are no number: kept, no member.
        let hidden = message(
            None,
            Content::Text {
                body: "Hello".into(),
            },
        );
        assert_eq!(
            classify(&hidden, None, false, OptOutPhrases::Flag),
            Decision::Message
        );
        let junk = message(
            Some("12"),
            Content::Text {
                body: "Hello".into(),
            },
        );
        assert_eq!(
            classify(&junk, None, false, OptOutPhrases::Flag),
            Decision::Message
        );
    }

    #[test]
    fn a_changed_number_is_passed_on_for_checking() {
        let changed = message(
            Some("447700900123"),
            Content::ChangedNumber {
                body: None,
                new_wa_id: Some("447700900124".into()),
            },
        );
        assert_eq!(
            classify(
                &changed,
                Some(MemberStatus::Active),
                false,
                OptOutPhrases::Flag
            ),
            Decision::ChangeNumber(Some("447700900124".into()))
        );
    }
}
