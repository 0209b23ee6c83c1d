//! Names written in scripts other than Latin, which no list of names here
//! holds: "陳美玲", "Олена Коваленко", "محمد اقبال", "रमेश पटेल". Such a
//! name is read by its shape, where it stands alone among Latin words:
//! a Chinese name is one word of two to four Han characters opening with a
//! common surname; a Cyrillic or Greek one two or three capitalised words;
//! in a script without capitals (Arabic, Urdu, Devanagari, Gurmukhi,
//! Gujarati, Bengali), two or three words with none of the script's
//! everyday words among them ("رمضان میں انسولین" is "Ramadan in
//! insulin"). The surnames and everyday words are written for this
//! project from general knowledge of the languages.

use super::{Word, adjacent};

/// A script a name may be written in, other than Latin.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    Han,
    /// Cyrillic and Greek, which have capitals.
    Cased,
    /// Arabic, Devanagari, Gurmukhi, Gujarati, Bengali.
    Caseless,
}

fn script_of(c: char) -> Option<Script> {
    match c as u32 {
        0x4E00..=0x9FFF | 0x3400..=0x4DBF => Some(Script::Han),
        // Greek, then Cyrillic.
        0x0370..=0x04FF => Some(Script::Cased),
        0x0600..=0x06FF | 0x0750..=0x077F | 0x0900..=0x09FF | 0x0A00..=0x0AFF => {
            Some(Script::Caseless)
        }
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

/// The last word of a name in another script that starts at word `k`.
pub(super) fn name_at(text: &str, words: &[Word], k: usize) -> Option<usize> {
    let script = word_script(words[k].text)?;
    let same = |i: usize| {
        words
            .get(i)
            .is_some_and(|w| word_script(w.text) == Some(script))
            && adjacent(text, &words[i - 1], &words[i])
    };
    // The run's first word, not the middle of a sentence in that script
    // (but after "the patient", "المريض محمد الحسن").
    let everyday = |w: &Word| EVERYDAY.contains(&w.text);
    if k > 0 && same(k) && !everyday(&words[k - 1]) {
        return None;
    }
    // A Chinese name is one word, whatever follows ("陳美玲 嘅 script").
    if script == Script::Han {
        return chinese_name(words[k].text).then_some(k);
    }
    let end = (k + 1..k + 4).take_while(|&i| same(i)).last().unwrap_or(k);
    if same(end + 1) {
        return None;
    }
    let run = &words[k..=end];
    match script {
        Script::Han => None,
        Script::Cased => {
            let capitalised = |w: &Word| w.text.starts_with(char::is_uppercase);
            ((2..=3).contains(&run.len()) && run.iter().all(capitalised)).then_some(end)
        }
        Script::Caseless => {
            let letters = |w: &Word| w.text.chars().filter(|c| c.is_alphabetic()).count() >= 2;
            let name =
                (2..=3).contains(&run.len()) && run.iter().all(|w| letters(w) && !everyday(w));
            name.then_some(end)
        }
    }
}

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
        assert!(word_script("محمد") == Some(Script::Caseless));
        assert!(word_script("Olena").is_none());
    }
}
