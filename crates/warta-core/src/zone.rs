//! Indonesian civil time: WIB, WITA and WIT, and the ways the newsroom writes a moment.

use chrono::{DateTime, Datelike, FixedOffset, Offset, Timelike, Utc};
use serde::{Deserialize, Serialize};

/// One of Indonesia's three time zones. None observes daylight saving, so each is a fixed offset
/// and Warta needs no tz database (which keeps minimal deployments correct).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "UPPERCASE")]
pub enum Zone {
    /// Waktu Indonesia Barat, UTC+7 (Asia/Jakarta, Asia/Pontianak).
    #[default]
    Wib,
    /// Waktu Indonesia Tengah, UTC+8 (Asia/Makassar).
    Wita,
    /// Waktu Indonesia Timur, UTC+9 (Asia/Jayapura).
    Wit,
}

impl Zone {
    /// Every zone, west to east.
    pub const ALL: [Zone; 3] = [Zone::Wib, Zone::Wita, Zone::Wit];

    /// The abbreviation readers see after a time: "WIB", "WITA" or "WIT".
    pub fn abbreviation(self) -> &'static str {
        match self {
            Zone::Wib => "WIB",
            Zone::Wita => "WITA",
            Zone::Wit => "WIT",
        }
    }

    /// The zone's offset from UTC.
    pub fn offset(self) -> FixedOffset {
        let hours = match self {
            Zone::Wib => 7,
            Zone::Wita => 8,
            Zone::Wit => 9,
        };
        // 7..=9 hours is always within FixedOffset's ±24 h range, so the fallback never runs.
        FixedOffset::east_opt(hours * 3600).unwrap_or_else(|| Utc.fix())
    }

    /// Reads "WIB"/"WITA"/"WIT" (any case) or an IANA name of an Indonesian zone.
    pub fn parse(text: &str) -> Option<Zone> {
        match text.trim().to_ascii_uppercase().as_str() {
            "WIB" | "ASIA/JAKARTA" | "ASIA/PONTIANAK" => Some(Zone::Wib),
            "WITA" | "ASIA/MAKASSAR" => Some(Zone::Wita),
            "WIT" | "ASIA/JAYAPURA" => Some(Zone::Wit),
            _ => None,
        }
    }

    /// The zone whose offset is `seconds` east of UTC, if it is an Indonesian one.
    pub fn from_offset_seconds(seconds: i32) -> Option<Zone> {
        Zone::ALL
            .into_iter()
            .find(|zone| zone.offset().local_minus_utc() == seconds)
    }

    /// `moment` as wall-clock time in this zone.
    pub fn local(self, moment: DateTime<Utc>) -> DateTime<FixedOffset> {
        moment.with_timezone(&self.offset())
    }

    /// The newsroom's stamp, as the seed page shows it: `18/08/2022, 14:00 WIB`.
    pub fn stamp(self, moment: DateTime<Utc>) -> String {
        let local = self.local(moment);
        format!(
            "{:02}/{:02}/{}, {:02}:{:02} {}",
            local.day(),
            local.month(),
            local.year(),
            local.hour(),
            local.minute(),
            self.abbreviation()
        )
    }

    /// RFC 3339 with this zone's offset, for machines: `2022-08-18T14:00:00+07:00`.
    pub fn rfc3339(self, moment: DateTime<Utc>) -> String {
        self.local(moment).to_rfc3339()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn stamp_matches_the_newsroom_form_in_each_zone() {
        let moment = utc("2022-08-18T07:00:00Z");
        assert_eq!(Zone::Wib.stamp(moment), "18/08/2022, 14:00 WIB");
        assert_eq!(Zone::Wita.stamp(moment), "18/08/2022, 15:00 WITA");
        assert_eq!(Zone::Wit.stamp(moment), "18/08/2022, 16:00 WIT");
    }

    #[test]
    fn stamp_crosses_midnight_into_the_local_date() {
        assert_eq!(
            Zone::Wit.stamp(utc("2022-08-17T20:30:00Z")),
            "18/08/2022, 05:30 WIT"
        );
    }

    #[test]
    fn rfc3339_carries_the_zone_offset() {
        assert_eq!(
            Zone::Wib.rfc3339(utc("2022-08-18T07:00:00Z")),
            "2022-08-18T14:00:00+07:00"
        );
    }

    #[test]
    fn parses_abbreviations_and_iana_names() {
        assert_eq!(Zone::parse("wita"), Some(Zone::Wita));
        assert_eq!(Zone::parse("Asia/Jayapura"), Some(Zone::Wit));
        assert_eq!(Zone::parse("Asia/Pontianak"), Some(Zone::Wib));
        assert_eq!(Zone::parse("CET"), None);
        assert_eq!(Zone::from_offset_seconds(8 * 3600), Some(Zone::Wita));
        assert_eq!(Zone::from_offset_seconds(3600), None);
    }
}
