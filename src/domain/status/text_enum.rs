//! `text_enum!`: an enum whose variants are stored and shown as fixed words.

/// A word that names no state of its kind (a database edited by hand, or a
/// caller's filter).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{word}` is not a {kind}")]
pub struct UnknownStatus {
    pub kind: &'static str,
    pub word: String,
}

/// Declares `Name { Variant => "word", ... }` with `as_str`, `ALL`,
/// `Display` and `FromStr` (an `UnknownStatus` for any other word). There
/// is deliberately no comparison with a word: code compares variants.
macro_rules! text_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $word:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($variant),+
        }

        impl $name {
            /// Every state, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The word stored and shown.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word),+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::domain::status::UnknownStatus;

            fn from_str(word: &str) -> Result<Self, Self::Err> {
                match word {
                    $($word => Ok($name::$variant),)+
                    _ => Err($crate::domain::status::UnknownStatus {
                        kind: stringify!($name),
                        word: word.to_string(),
                    }),
                }
            }
        }
    };
}

pub(crate) use text_enum;
