//! Server-supplied centroids: a clustering done on the server over many visitors, to which
//! this visitor is assigned on the device by nearest distance.
//!
//! The input is `[{ name, features: { "affinity:sports": 0.8, "clicks7d": 3, … } }]`: feature
//! names are [`Metric`] feature names (see [`Metric::parse_feature`]), values finite numbers.
//! The visitor's vector has one entry per feature named by any centroid, read from the
//! profile as is (a metric with no value reads 0); a centroid that does not name a feature
//! is 0 there. Distance is plain Euclidean on those raw values: **features are used as
//! given, so the server must scale them** (e.g. send centroids in units where each feature's
//! spread is comparable, or choose features that already are). The nearest centroid (the
//! first in the list on a tie) gives the segment `cluster:<name>`.

use super::metrics::Metric;
use super::names::{is_segment_name, MAX_SEGMENT_NAME_CHARS};
use super::Profile;
use crate::time::Millis;
use crate::value::{Field, InputError, Value};
use std::fmt;

/// Most centroids.
pub const MAX_CENTROIDS: usize = 64;
/// Most features named by one centroid.
pub const MAX_CENTROID_FEATURES: usize = 64;
/// Most distinct features across all centroids.
pub const MAX_FEATURE_NAMES: usize = 256;
/// The prefix of the segment a centroid gives.
pub const CLUSTER_PREFIX: &str = "cluster:";
/// The stable code refused centroids carry to JavaScript.
pub const CENTROIDS_ERROR_CODE: &str = "invalid_centroids";

/// Why centroids were refused: the path and the rule broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CentroidsError(pub InputError);

impl From<CentroidsError> for crate::Error {
    fn from(e: CentroidsError) -> Self {
        crate::Error::new(crate::ErrorCode::InvalidCentroids, e.to_string())
    }
}

impl CentroidsError {
    /// The stable code, [`CENTROIDS_ERROR_CODE`].
    pub fn code(&self) -> &'static str {
        CENTROIDS_ERROR_CODE
    }
}

impl fmt::Display for CentroidsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for CentroidsError {}

/// One centroid: a name and its non-zero coordinates, as (feature index, value).
#[derive(Debug, Clone, PartialEq)]
struct Centroid {
    name: String,
    coordinates: Vec<(usize, f64)>,
}

/// The server's centroids and the features they are over.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Centroids {
    features: Vec<(String, Metric)>,
    centroids: Vec<Centroid>,
}

impl Centroids {
    /// Reads centroids (an absent value is none), all or nothing.
    pub fn parse(value: Value) -> Result<Self, CentroidsError> {
        read(Field::root("centroids", value)).map_err(CentroidsError)
    }

    /// How many centroids there are.
    pub fn len(&self) -> usize {
        self.centroids.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.centroids.is_empty()
    }

    /// The visitor's value for each feature, in the order the centroids first named them.
    pub fn vector(&self, profile: &Profile, now: Millis) -> Vec<f64> {
        self.features
            .iter()
            .map(|(_, metric)| profile.metric(metric, now).unwrap_or(0.0))
            .collect()
    }

    /// The name of the nearest centroid and its distance, `None` when there are none.
    pub fn nearest(&self, profile: &Profile, now: Millis) -> Option<(&str, f64)> {
        let x = self.vector(profile, now);
        let norm: f64 = x.iter().map(|v| v * v).sum();
        let mut best: Option<(&str, f64)> = None;
        for centroid in &self.centroids {
            // |x − c|² = |x|² + Σ over c's coordinates of ((x_i − c_i)² − x_i²).
            let mut squared = norm;
            for (i, c) in &centroid.coordinates {
                let xi = x.get(*i).copied().unwrap_or(0.0);
                squared += (xi - c) * (xi - c) - xi * xi;
            }
            let distance = squared.max(0.0).sqrt();
            if best.is_none_or(|(_, d)| distance < d) {
                best = Some((centroid.name.as_str(), distance));
            }
        }
        best
    }

    /// The segment of the nearest centroid, `cluster:<name>`.
    pub fn segment(&self, profile: &Profile, now: Millis) -> Option<String> {
        self.nearest(profile, now)
            .map(|(name, _)| format!("{CLUSTER_PREFIX}{name}"))
    }
}

fn read(field: Field) -> Result<Centroids, InputError> {
    let mut centroids = Centroids::default();
    if field.is_absent() {
        return Ok(centroids);
    }
    for entry in field.list(MAX_CENTROIDS)? {
        let mut object = entry.strict_object(&["name", "features"])?;
        let name_field = object.take("name");
        let invalid = name_field.error(format!(
            "must be 1 to {MAX_SEGMENT_NAME_CHARS} letters, digits, '-', '_' or '.'"
        ));
        let repeated = name_field.error("repeats the name of an earlier centroid");
        let name = name_field.text(MAX_SEGMENT_NAME_CHARS)?;
        if !is_segment_name(&name) {
            return Err(invalid);
        }
        if centroids.centroids.iter().any(|c| c.name == name) {
            return Err(repeated);
        }
        let features = object.take("features").object()?;
        let mut coordinates = Vec::new();
        for (feature, value) in features.into_entries(MAX_CENTROID_FEATURES)? {
            let unknown = value.error(format!(
                "unknown feature; expected a metric such as clicks7d, engagement or \
                 affinity:<tag> ({})",
                super::metrics::METRIC_NAMES
            ));
            let too_many = value.error(format!(
                "centroids may name at most {MAX_FEATURE_NAMES} distinct features"
            ));
            let x = value.finite_number()?;
            let Some(metric) = Metric::parse_feature(&feature) else {
                return Err(unknown);
            };
            let index = match centroids.features.iter().position(|(f, _)| *f == feature) {
                Some(index) => index,
                None if centroids.features.len() == MAX_FEATURE_NAMES => return Err(too_many),
                None => {
                    centroids.features.push((feature, metric));
                    centroids.features.len() - 1
                }
            };
            coordinates.push((index, x));
        }
        centroids.centroids.push(Centroid { name, coordinates });
    }
    Ok(centroids)
}
