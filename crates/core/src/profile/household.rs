//! Several profiles per namespace, for shared devices (household or family accounts).
//!
//! [`Profiles`] holds named profiles and which one is active; events and segments use the
//! active one, and [`Profiles::list`] gives the names in alphabetical order. Names are 1 to [`MAX_PROFILE_NAME_CHARS`] ASCII letters,
//! digits, `-` or `_`; at most [`MAX_PROFILES`] exist. Removing is allowed for any profile,
//! the active one included (a household member must be able to erase their own profile
//! without first switching away): the active profile then becomes [`DEFAULT_PROFILE`] if it
//! exists, else the alphabetically first remaining one, and removing the last profile leaves
//! a fresh, empty [`DEFAULT_PROFILE`]. Each profile stays under its own 64 KB bound, so the
//! stored household stays under `MAX_PROFILES × 64 KB`.

use super::{stored, Profile, ProfileConfig};
use crate::time::Millis;
use crate::value::{Field, InputError, Value};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use std::fmt;

/// Most profiles in one namespace.
pub const MAX_PROFILES: usize = 8;
/// Longest profile name, in characters.
pub const MAX_PROFILE_NAME_CHARS: usize = 64;
/// The profile there is before any other is chosen.
pub const DEFAULT_PROFILE: &str = "default";
/// The stored format's version.
pub const PROFILES_FORMAT_VERSION: u64 = 1;
/// The stable code a refused profile name or a full household carries to JavaScript.
pub const HOUSEHOLD_ERROR_CODE: &str = "invalid_profile";

/// Why `use`/`remove` was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HouseholdError {
    /// The name is not 1–64 letters, digits, `-` or `_`.
    InvalidName,
    /// [`MAX_PROFILES`] profiles exist already and the name is a new one.
    TooMany,
}

impl From<HouseholdError> for crate::Error {
    fn from(e: HouseholdError) -> Self {
        crate::Error::new(crate::ErrorCode::InvalidProfile, e.to_string())
    }
}

impl HouseholdError {
    /// The stable code, [`HOUSEHOLD_ERROR_CODE`].
    pub fn code(&self) -> &'static str {
        HOUSEHOLD_ERROR_CODE
    }
}

impl fmt::Display for HouseholdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HouseholdError::InvalidName => write!(
                f,
                "a profile name must be 1 to {MAX_PROFILE_NAME_CHARS} letters, digits, '-' or '_'"
            ),
            HouseholdError::TooMany => write!(
                f,
                "at most {MAX_PROFILES} profiles are allowed; remove one before adding another"
            ),
        }
    }
}

impl std::error::Error for HouseholdError {}

/// Whether `name` is a valid profile name.
pub fn is_profile_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_PROFILE_NAME_CHARS
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The profiles of one namespace; serialized as `{version, active, profiles: {name: …}}`
/// with the profiles by name.
#[derive(Debug, Clone)]
pub struct Profiles {
    active_name: String,
    active: Profile,
    others: Vec<(String, Profile)>,
    config: ProfileConfig,
}

impl Profiles {
    /// A household with one empty [`DEFAULT_PROFILE`], active.
    pub fn new(config: ProfileConfig) -> Self {
        Profiles {
            active_name: DEFAULT_PROFILE.to_owned(),
            active: Profile::new(config),
            others: Vec::new(),
            config,
        }
    }

    /// The active profile's name.
    pub fn active_name(&self) -> &str {
        &self.active_name
    }

    /// The active profile.
    pub fn active(&self) -> &Profile {
        &self.active
    }

    /// The active profile, to apply events to.
    pub fn active_mut(&mut self) -> &mut Profile {
        &mut self.active
    }

    /// Makes `name` active, creating it empty when missing; returns whether it was created.
    pub fn use_profile(&mut self, name: &str) -> Result<bool, HouseholdError> {
        if !is_profile_name(name) {
            return Err(HouseholdError::InvalidName);
        }
        if name == self.active_name {
            return Ok(false);
        }
        let (next, created) = match self.others.iter().position(|(n, _)| n == name) {
            Some(i) => (self.others.swap_remove(i).1, false),
            None if self.others.len() + 1 >= MAX_PROFILES => return Err(HouseholdError::TooMany),
            None => (Profile::new(self.config), true),
        };
        let previous = std::mem::replace(&mut self.active, next);
        let previous_name = std::mem::replace(&mut self.active_name, name.to_owned());
        self.others.push((previous_name, previous));
        Ok(created)
    }

    /// Every name, in alphabetical order.
    pub fn list(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::with_capacity(self.others.len() + 1);
        let all = std::iter::once(&self.active_name).chain(self.others.iter().map(|(n, _)| n));
        for name in all {
            let at = names.iter().position(|n| n > name).unwrap_or(names.len());
            names.insert(at, name.clone());
        }
        names
    }

    /// The profile `name`, if it exists.
    pub fn get(&self, name: &str) -> Option<&Profile> {
        if name == self.active_name {
            return Some(&self.active);
        }
        self.others.iter().find(|(n, _)| n == name).map(|(_, p)| p)
    }

    /// The profile `name`, to apply events to, if it exists.
    pub fn get_mut(&mut self, name: &str) -> Option<&mut Profile> {
        if name == self.active_name {
            return Some(&mut self.active);
        }
        self.others
            .iter_mut()
            .find(|(n, _)| n == name)
            .map(|(_, p)| p)
    }

    /// Retention: forgets what every profile holds from before `cutoff` (see
    /// [`Profile::forget_before`]); returns whether anything was forgotten.
    pub fn forget_before(&mut self, cutoff: Millis) -> bool {
        let mut emptied = self.active.forget_before(cutoff);
        for (_, profile) in &mut self.others {
            emptied |= profile.forget_before(cutoff);
        }
        emptied
    }

    /// The latest activity of any profile.
    pub fn last_seen(&self) -> Option<Millis> {
        std::iter::once(&self.active)
            .chain(self.others.iter().map(|(_, p)| p))
            .filter_map(Profile::last_seen)
            .max()
    }

    /// Removes `name` (see the module notes for what becomes active); returns whether it
    /// existed.
    pub fn remove(&mut self, name: &str) -> Result<bool, HouseholdError> {
        if !is_profile_name(name) {
            return Err(HouseholdError::InvalidName);
        }
        if let Some(i) = self.others.iter().position(|(n, _)| n == name) {
            self.others.swap_remove(i);
            return Ok(true);
        }
        if name != self.active_name {
            return Ok(false);
        }
        let list = self.list();
        let next = list
            .iter()
            .find(|n| *n == DEFAULT_PROFILE && *n != name)
            .or_else(|| list.iter().find(|n| *n != name));
        match next.cloned() {
            Some(next) => {
                self.use_profile(&next)?;
                self.others.retain(|(n, _)| n != name);
            }
            None => *self = Profiles::new(self.config),
        }
        Ok(true)
    }

    /// Reads the stored form (as serialized), strictly, to be weighed by `config`.
    pub fn parse(value: Value, config: ProfileConfig) -> Result<Self, InputError> {
        let mut object =
            Field::root("profiles", value).strict_object(&["version", "active", "profiles"])?;
        object.take("version").integer(1, PROFILES_FORMAT_VERSION)?;
        let active_field = object.take("active");
        let missing = active_field.error("must name one of the profiles");
        let active_name = active_field.text(MAX_PROFILE_NAME_CHARS)?;
        let mut active = None;
        let mut others = Vec::new();
        for (name, field) in object
            .take("profiles")
            .object()?
            .into_entries(MAX_PROFILES)?
        {
            if !is_profile_name(&name) {
                return Err(field.error(HouseholdError::InvalidName.to_string()));
            }
            let profile = stored::read(field, config)?;
            if name == active_name {
                active = Some(profile);
            } else {
                others.push((name, profile));
            }
        }
        let Some(active) = active else {
            return Err(missing);
        };
        Ok(Profiles {
            active_name,
            active,
            others,
            config,
        })
    }
}

impl Serialize for Profiles {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct ByName<'a>(&'a Profiles);
        impl Serialize for ByName<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let names = self.0.list();
                let mut map = serializer.serialize_map(Some(names.len()))?;
                for name in &names {
                    if let Some(profile) = self.0.get(name) {
                        map.serialize_entry(name, profile)?;
                    }
                }
                map.end()
            }
        }
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("version", &PROFILES_FORMAT_VERSION)?;
        map.serialize_entry("active", &self.active_name)?;
        map.serialize_entry("profiles", &ByName(self))?;
        map.end()
    }
}
