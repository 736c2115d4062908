//! What a provisioning module can be asked to do to a service.

use std::{fmt, str::FromStr};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ModuleAction {
    Create,
    Suspend,
    Unsuspend,
    Terminate,
    ChangePackage,
    ChangePassword,
}

impl ModuleAction {
    pub const ALL: [ModuleAction; 6] = [
        ModuleAction::Create,
        ModuleAction::Suspend,
        ModuleAction::Unsuspend,
        ModuleAction::Terminate,
        ModuleAction::ChangePackage,
        ModuleAction::ChangePassword,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ModuleAction::Create => "create",
            ModuleAction::Suspend => "suspend",
            ModuleAction::Unsuspend => "unsuspend",
            ModuleAction::Terminate => "terminate",
            ModuleAction::ChangePackage => "change_package",
            ModuleAction::ChangePassword => "change_password",
        }
    }
}

impl fmt::Display for ModuleAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ModuleAction {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ModuleAction::ALL
            .into_iter()
            .find(|a| a.as_str() == s)
            .ok_or_else(|| format!("{s} is not a module action"))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn actions_read_back_from_their_names() {
        for a in ModuleAction::ALL {
            assert_eq!(a.as_str().parse::<ModuleAction>().unwrap(), a);
        }
        assert!("reboot".parse::<ModuleAction>().is_err());
    }
}
