//! Enums stored as text: one list of `Variant = "text"` pairs gives each
//! its texts for SQLite, output and parsing, so a stored word is written
//! once. A stored text never changes: old rows (and CHECK constraints) hold it.

use std::fmt;

/// Declares an enum whose variants are stored as fixed texts, with `ALL`,
/// `as_str`, `Display`, `FromStr` (the exact text), `ToSql` and `FromSql`.
/// Attributes and doc comments on the enum and its variants are kept.
///
/// ```ignore
/// text_enum! {
///     #[derive(Debug, Clone, Copy, PartialEq, Eq)]
///     pub enum Colour {
///         Red = "red",
///         DarkBlue = "dark_blue",
///     }
/// }
/// ```
macro_rules! text_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis enum $name { $( $(#[$vmeta])* $variant ),+ }

        impl $name {
            /// Every variant, in the order declared (not every enum needs it).
            #[allow(dead_code)]
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The text this variant is stored and shown as.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::db::text_enum::UnknownText;

            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err($crate::db::text_enum::UnknownText {
                        what: stringify!($name),
                        text: other.to_string(),
                    }),
                }
            }
        }

        impl ::rusqlite::types::ToSql for $name {
            fn to_sql(&self) -> ::rusqlite::Result<::rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.as_str().into())
            }
        }

        impl ::rusqlite::types::FromSql for $name {
            fn column_result(
                value: ::rusqlite::types::ValueRef<'_>,
            ) -> ::rusqlite::types::FromSqlResult<Self> {
                value
                    .as_str()?
                    .parse()
                    .map_err(|e| ::rusqlite::types::FromSqlError::Other(Box::new(e)))
            }
        }
    };
}
pub(crate) use text_enum;

/// A stored text that names no variant: a database written by a newer mot,
/// or edited by hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownText {
    pub what: &'static str,
    pub text: String,
}

impl fmt::Display for UnknownText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown {} {:?} in the database", self.what, self.text)
    }
}

impl std::error::Error for UnknownText {}

#[cfg(test)]
// Tests make databases that are not mot's, to see them refused.
#[allow(clippy::disallowed_methods)]
mod tests {
    use rusqlite::Connection;

    text_enum! {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        enum Colour {
            /// A doc comment stays on its variant.
            Red = "red",
            DarkBlue = "dark_blue",
        }
    }

    #[test]
    fn each_variant_is_its_text_both_ways_and_in_sqlite() {
        assert_eq!(Colour::ALL, [Colour::Red, Colour::DarkBlue]);
        assert_eq!(Colour::DarkBlue.to_string(), "dark_blue");
        assert_eq!("red".parse(), Ok(Colour::Red));
        let err = "Red".parse::<Colour>().unwrap_err();
        assert_eq!(err.to_string(), "unknown Colour \"Red\" in the database");

        let conn = Connection::open_in_memory().unwrap();
        let (text, back): (String, Colour) = conn
            .query_row("SELECT ?1, ?1", [Colour::DarkBlue], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!((text.as_str(), back), ("dark_blue", Colour::DarkBlue));
        let bad: rusqlite::Result<Colour> = conn.query_row("SELECT 'blue'", [], |r| r.get(0));
        assert!(bad.is_err());
    }
}
