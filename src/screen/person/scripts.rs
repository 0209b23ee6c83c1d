//! Names written in scripts other than Latin, which no list of names here
//! holds: "陳美玲", "Олена Коваленко", "محمد اقبال", "रमेश पटेल". Such a
//! name is read by its shape: a Chinese name is one word of two to four
//! Han characters opening with a common surname; a Cyrillic or Greek one
//! two or three capitalised words; in a script without capitals (Arabic,
//! Urdu, Devanagari, Gurmukhi, Gujarati, Bengali), two or three words of
//! one script with none of its everyday words among them ("رمضان میں
//! انسولین" is "Ramadan in insulin"). The shape alone is no name: greetings,
//! leaflets' titles and herbal remedies have it too ("周日休息", "Доброго
//! Ранку", "صباح الخير", "何首乌"), as a hostile review showed. So the words
//! around must say a person is meant: a patient's word before ("Patient",
//! "المريض", "病人"), or after it an honorific ("ji", "sahib"), a
//! possessive ("嘅"), the name again in Latin letters in brackets, or "he"
//! or "she" said of them. The surnames and everyday words are written for
//! this project from general knowledge of the languages.

use super::super::{window_after, window_before};
use super::{Word, one_of};

/// A script a name may be written in, other than Latin: its Unicode block
/// (scripts without capitals are told apart, so that "اردو, বাংলা" is no
/// run of one script).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    Han,
    /// Cyrillic and Greek, which have capitals.
    Cased,
    Arabic,
    Devanagari,
    Bengali,
    Gurmukhi,
    Gujarati,
}

fn script_of(c: char) -> Option<Script> {
    match c as u32 {
        0x4E00..=0x9FFF | 0x3400..=0x4DBF => Some(Script::Han),
        // Greek, then Cyrillic.
        0x0370..=0x04FF => Some(Script::Cased),
        0x0600..=0x06FF | 0x0750..=0x077F => Some(Script::Arabic),
        0x0900..=0x097F => Some(Script::Devanagari),
        0x0980..=0x09FF => Some(Script::Bengali),
        0x0A00..=0x0A7F => Some(Script::Gurmukhi),
        0x0A80..=0x0AFF => Some(Script::Gujarati),
        _ => None,
    }
}

/// The script of a word all of whose letters are in it.
fn word_script(word: &str) -> Option<Script> {
    let mut letters = word.chars().filter(|c| c.is_alphabetic());
    let first = script_of(letters.next()?)?;
    letters
        .all(|c| script_of(c) == Some(first))
        .then_some(first)
}

/// True for a word written wholly in one of the scripts read here.
pub(super) fn in_another_script(word: &str) -> bool {
    !word.is_ascii() && word_script(word).is_some()
}

/// True for a word in a script without capitals (Arabic, Urdu and the
/// Indian scripts): folded to Latin letters it loses its vowels, and "کی"
/// (of) or "ہے" (is) would read as "Ki" and "He", so the lists of Latin
/// names are no guide to it; this module reads it.
pub(in crate::screen) fn no_latin_reading(word: &str) -> bool {
    !word.is_ascii() && word_script(word).is_some_and(|s| !matches!(s, Script::Han | Script::Cased))
}

/// The last word of a name in another script that starts at word `k`.
pub(super) fn name_at(text: &str, words: &[Word], k: usize) -> Option<usize> {
    let script = word_script(words[k].text)?;
    // A role is no part of a name either ("डॉक्टर अनीता जी").
    let everyday = |w: &Word| EVERYDAY.contains(&w.text) || STAFF.contains(&w.text);
    // Words of the run: the same script, one space apart; an everyday word
    // or an honorific ends it ("بشیر احمد صاحب کی دوائی": "Bashir Ahmed
    // sahib's medicine").
    let same = |i: usize| {
        words.get(i).is_some_and(|w| {
            word_script(w.text) == Some(script) && !everyday(w) && !HONORIFICS.contains(&w.text)
        }) && text[words[i - 1].end..words[i].start] == *" "
    };
    // The run's first word, not the middle of a sentence in that script
    // (but after "the patient", "المريض محمد الحسن").
    let of_the_script = |i: usize| word_script(words[i].text) == Some(script);
    if k > 0 && of_the_script(k - 1) && same(k) && !everyday(&words[k - 1]) {
        return None;
    }
    let end = if script == Script::Han {
        // A Chinese name is one word, whatever follows ("陳美玲 嘅 script").
        k
    } else {
        (k + 1..k + 4).take_while(|&i| same(i)).last().unwrap_or(k)
    };
    if script != Script::Han && same(end + 1) {
        return None;
    }
    let run = &words[k..=end];
    let shaped = match script {
        Script::Han => chinese_name(words[k].text),
        Script::Cased => {
            let capitalised = |w: &Word| w.text.starts_with(char::is_uppercase);
            (2..=3).contains(&run.len()) && run.iter().all(capitalised)
        }
        _ => {
            let letters = |w: &Word| w.text.chars().filter(|c| c.is_alphabetic()).count() >= 2;
            // One word before an honorific will do: "রহিমা বেগম".
            let honoured = words
                .get(end + 1)
                .is_some_and(|w| HONORIFICS.contains(&w.text));
            let words_of_a_name = if honoured { 1..=3 } else { 2..=3 };
            words_of_a_name.contains(&run.len()) && run.iter().all(|w| letters(w) && !everyday(w))
        }
    };
    (shaped && someone_meant(text, words, k, end)).then_some(end)
}

/// True when the words around the name at `first..=last` say a person is
/// meant (see the module's doc).
fn someone_meant(text: &str, words: &[Word], first: usize, last: usize) -> bool {
    // Any case in Latin letters, exactly in the others.
    let patient_before = first
        .checked_sub(1)
        .is_some_and(|p| one_of(words[p].text, &PATIENT_WORDS));
    let after = window_after(text, words[last].end, 80);
    let next = words.get(last + 1).map(|w| w.text).unwrap_or("");
    let honoured = one_of(next, &["ji", "sahib", "sahiba", "bibi", "begum"])
        || HONORIFICS.contains(&next)
        // "રમેશભાઈ પટેલ", "ગીતાબેન": brother and sister joined to the name.
        || ["ભાઈ", "બેન", "भाई", "बेन", "ਭਾਈ"]
            .iter()
            .any(|h| words[first].text.len() > h.len() && words[first].text.ends_with(h));
    let romanised = after
        .trim_start_matches([' ', ','])
        .strip_prefix('(')
        .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_uppercase()));
    let said_of = super::super::clinical::words(after).any(|(_, w)| {
        one_of(
            w,
            &[
                "he", "his", "him", "she", "her", "hers", "he's", "she's", "he’s", "she’s",
            ],
        )
    });
    // "Name: عمران خان": a form's label.
    let labelled = first
        .checked_sub(1)
        .is_some_and(|p| one_of(words[p].text, &NAME_LABELS));
    // "شبانہ کوثر کی دوائی", "ਸੁਰਜੀਤ ਕੌਰ ਦੀ ਦਵਾਈ": the name's medicine.
    let medicine_owned = one_of(next, &POSSESSIVES)
        && words
            .get(last + 2)
            .is_some_and(|w| super::super::clinical::in_another_script(w.text));
    // "آج کے فارماسسٹ کا نام عمران خان ہے", "डॉक्टर अनीता जी": a role said
    // before the name makes it a colleague's, as in Latin letters; after
    // it, only in the name's script ("عمران صاحب ہمارے نئے فارماسسٹ ہیں";
    // "王伟 needs his metformin, GP hasn't sent it" is a patient's GP).
    let words_of = super::super::clinical::words;
    let colleague = words_of(window_before(text, words[first].start, 60))
        .any(|(_, w)| STAFF.contains(&w) || super::ROLES.contains(w))
        || words_of(after).any(|(_, w)| STAFF.contains(&w));
    patient_before || !colleague && (labelled || honoured || romanised || said_of || medicine_owned)
}

/// A form's label for a name, before it: English, Urdu, Hindi, Punjabi,
/// Gujarati.
const NAME_LABELS: [&str; 5] = ["name", "نام", "नाम", "ਨਾਮ", "નામ"];

/// Particles that make the name before them the owner of what follows:
/// Urdu "کی", "کا", "کے"; Hindi "की", "का", "के"; Gujarati "ની", "નો",
/// "ના"; Punjabi "ਦੀ", "ਦਾ", "ਦੇ"; Bengali "এর".
const POSSESSIVES: [&str; 13] = [
    "کی", "کا", "کے", "की", "का", "के", "ની", "નો", "ના", "ਦੀ", "ਦਾ", "ਦੇ", "এর",
];

/// Staff's roles in the scripts read here: pharmacist, doctor and nurse in
/// Urdu, Hindi, Punjabi, Gujarati and Bengali.
const STAFF: &[&str] = &[
    "فارماسسٹ",
    "فارماسِسٹ",
    "ڈاکٹر",
    "نرس",
    "फार्मासिस्ट",
    "डॉक्टर",
    "डाक्टर",
    "नर्स",
    "ਫਾਰਮਾਸਿਸਟ",
    "ਡਾਕਟਰ",
    "ਨਰਸ",
    "ફાર્માસિસ્ટ",
    "ડૉક્ટર",
    "ડોક્ટર",
    "નર્સ",
    "ফার্মাসিস্ট",
    "ডাক্তার",
    "নার্স",
];

/// Honorifics after a name, in the scripts: Urdu "sahib", "sahiba",
/// "begum", "ji"; Hindi and Punjabi "ji", "sahib"; Bengali "begum";
/// Chinese "嘅" (the possessive, "陳美玲 嘅 script").
const HONORIFICS: &[&str] = &[
    "صاحب",
    "صاحبہ",
    "بیگم",
    "جی",
    "जी",
    "साहब",
    "ਜੀ",
    "ਸਾਹਿਬ",
    "বেগম",
    "嘅",
];

/// Words for a patient, before their name: English, Arabic, Urdu,
/// Chinese, Ukrainian, Russian, Hindi, Punjabi.
const PATIENT_WORDS: [&str; 12] = [
    "patient",
    "pt",
    "client",
    "resident",
    "المريض",
    "مريض",
    "مریض",
    "病人",
    "пацієнт",
    "пацієнтка",
    "रोगी",
    "ਮਰੀਜ਼",
];

/// Two to four Han characters opening with a common surname, not a word
/// said twice ("谢谢", thanks): "陳美玲", "黄启明", "王伟".
fn chinese_name(word: &str) -> bool {
    let chars: Vec<char> = word.chars().collect();
    (2..=4).contains(&chars.len())
        && chars.iter().all(|&c| script_of(c) == Some(Script::Han))
        && SURNAMES.contains(&chars[0])
        && chars[0] != chars[1]
        && !chars.iter().any(|c| NOT_IN_NAMES.contains(c))
}

/// The commonest Chinese surnames, simplified and traditional.
const SURNAMES: &[char] = &[
    '王', '李', '张', '張', '刘', '劉', '陈', '陳', '杨', '楊', '黄', '黃', '赵', '趙', '吴', '吳',
    '周', '徐', '孙', '孫', '马', '馬', '朱', '胡', '郭', '何', '高', '林', '罗', '羅', '郑', '鄭',
    '梁', '谢', '謝', '宋', '唐', '许', '許', '韩', '韓', '冯', '馮', '邓', '鄧', '曹', '彭', '曾',
    '萧', '蕭', '肖', '田', '董', '袁', '潘', '蒋', '蔣', '蔡', '余', '杜', '叶', '葉', '程', '苏',
    '蘇', '魏', '吕', '呂', '丁', '任', '沈', '姚', '卢', '盧', '钟', '鍾', '谭', '譚', '陆', '陸',
    '汪', '范', '金', '石', '廖', '贾', '賈', '夏', '邹', '鄒', '方', '邱', '江', '侯', '龙', '龍',
    '黎', '顾', '顧', '毛', '莫', '孔', '麦', '麥', '区', '區', '伍', '关', '關', '严', '嚴', '温',
    '溫', '戴', '翁', '傅', '邵', '尹', '薛', '雷', '白', '崔', '钱', '錢',
];

/// Characters of everyday words, in no one's name: "有" (have), "人"
/// (person), "吗" (question), "我" (I), "药" (medicine), "中文".
const NOT_IN_NAMES: &[char] = &[
    '有', '人', '吗', '嗎', '我', '你', '他', '她', '的', '了', '是', '在', '药', '藥', '房', '文',
    '生', '士', '医', '醫', '院', '到', '收', '不', '没', '沒', '冇',
];

/// Everyday words of the scripts without capitals, which no name is made
/// of: Urdu and Arabic ("میں" in, "کی" of, "مبارک" blessed), Hindi,
/// Punjabi, Gujarati and Bengali ("है" is, "ਜੀ" sir).
const EVERYDAY: &[&str] = &[
    // Urdu and Arabic.
    "میں",
    "کی",
    "کے",
    "کا",
    "ہے",
    "ہیں",
    "پر",
    "سے",
    "کو",
    "اور",
    "نے",
    "یہ",
    "وہ",
    "بھی",
    "نہیں",
    "کیا",
    "ہو",
    "گئے",
    "گئی",
    "دوا",
    "دوائی",
    "مبارک",
    "مبارك",
    "عيد",
    "عید",
    "رمضان",
    "شکریہ",
    "في",
    "من",
    "على",
    "مع",
    "عن",
    "هذا",
    "الى",
    "إلى",
    "و",
    "اطلاع",
    "مریض",
    "المريض",
    "نام",
    "تیار",
    "کل",
    "صبح",
    // Hindi.
    "है",
    "हैं",
    "का",
    "की",
    "के",
    "में",
    "से",
    "को",
    "और",
    "जी",
    "नहीं",
    "दवा",
    "मेरी",
    "मेरा",
    "तैयार",
    "कल",
    // Punjabi.
    "ਦੀ",
    "ਦਾ",
    "ਦੇ",
    "ਹੈ",
    "ਵਿੱਚ",
    "ਜੀ",
    "ਨੂੰ",
    "ਦਵਾਈ",
    "ਅਤੇ",
    // Gujarati and Bengali.
    "છે",
    "ના",
    "ની",
    "નો",
    "માં",
    "દવા",
    "તૈયાર",
    "આજે",
    "કાલે",
    "দবা",
    "এবং",
    "আছে",
    "না",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_other_scripts_by_their_shape() {
        assert!(chinese_name("陳美玲"));
        assert!(chinese_name("王伟"));
        for not in ["谢谢", "有人有", "中文", "收到", "先生", "药房圣诞节休息"] {
            assert!(!chinese_name(not), "{not}");
        }
        assert!(word_script("Олена") == Some(Script::Cased));
        assert!(word_script("محمد") == Some(Script::Arabic));
        assert!(word_script("Olena").is_none());
    }
}
