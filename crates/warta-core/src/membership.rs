//! The site's "+" membership: plans, how long a payment buys, and checking payment
//! notifications exactly as the providers document them. Midtrans signs a notification with
//! `SHA512(order_id + status_code + gross_amount + server_key)`; Stripe signs a webhook with
//! `HMAC-SHA256(secret, "<timestamp>.<raw body>")` in the `Stripe-Signature` header, and a
//! signature older than the tolerance is refused so a captured request cannot be replayed.

use chrono::{DateTime, Months, Utc};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256, Sha512};

use crate::{FieldError, article::collapse_spaces, secret};

/// How often a plan is paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Monthly,
    Yearly,
}

impl Period {
    pub fn parse(text: &str) -> Option<Period> {
        match text.trim() {
            "monthly" | "bulanan" => Some(Period::Monthly),
            "yearly" | "tahunan" => Some(Period::Yearly),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Period::Monthly => "monthly",
            Period::Yearly => "yearly",
        }
    }

    /// The end of a period that starts at `from` (calendar months, so 31 January + 1 month is
    /// the end of February).
    pub fn after(self, from: DateTime<Utc>) -> DateTime<Utc> {
        let months = match self {
            Period::Monthly => 1,
            Period::Yearly => 12,
        };
        from.checked_add_months(Months::new(months)).unwrap_or(from)
    }
}

/// A plan as an admin sets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanEdit {
    pub name: String,
    /// Whole rupiah.
    pub price_idr: i64,
    pub period: Period,
}

impl PlanEdit {
    pub fn parse(name: &str, price: &str, period: &str) -> Result<PlanEdit, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = collapse_spaces(name);
        if name.is_empty() || name.chars().count() > 80 {
            errors.push(FieldError::new(
                "name",
                "nama 1 sampai 80 karakter",
                "a name of 1 to 80 characters",
            ));
        }
        let digits: String = price.chars().filter(|c| !matches!(c, '.' | ' ')).collect();
        let price_idr = match digits.parse::<i64>() {
            Ok(p) if (1_000..=100_000_000).contains(&p) => p,
            _ => {
                errors.push(FieldError::new(
                    "price",
                    "harga dalam rupiah bulat, dari 1.000 sampai 100.000.000",
                    "a price in whole rupiah from 1.000 to 100.000.000",
                ));
                0
            }
        };
        let period = Period::parse(period);
        if period.is_none() {
            errors.push(FieldError::new(
                "period",
                "pilih bulanan atau tahunan",
                "expected monthly or yearly",
            ));
        }
        match period {
            Some(period) if errors.is_empty() => Ok(PlanEdit {
                name,
                price_idr,
                period,
            }),
            _ => Err(errors),
        }
    }
}

/// "Rp49.000"
pub fn rupiah(amount: i64) -> String {
    let digits = amount.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    format!("Rp{}{out}", if amount < 0 { "-" } else { "" })
}

/// Why a payment notification was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("the signature does not match")]
    BadSignature,
    #[error("the signature header is missing or malformed")]
    Malformed,
    #[error("the signature is older than the tolerance (a replay?)")]
    Expired,
    #[error("the amount {got} does not match the order's {expected}")]
    AmountMismatch { got: String, expected: i64 },
}

/// The fields of a Midtrans HTTP notification the signature covers, as received (strings, so
/// "49000.00" stays exactly what was signed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MidtransNotice<'a> {
    pub order_id: &'a str,
    pub status_code: &'a str,
    pub gross_amount: &'a str,
    pub signature_key: &'a str,
}

/// `SHA512(order_id + status_code + gross_amount + server_key)` in hex.
pub fn midtrans_signature(
    order_id: &str,
    status_code: &str,
    gross_amount: &str,
    server_key: &str,
) -> String {
    let mut hasher = Sha512::new();
    for part in [order_id, status_code, gross_amount, server_key] {
        hasher.update(part.as_bytes());
    }
    hex(&hasher.finalize())
}

/// Checks a Midtrans notification's signature and that its amount is the order's.
pub fn verify_midtrans(
    notice: &MidtransNotice<'_>,
    server_key: &str,
    expected_idr: i64,
) -> Result<(), Refusal> {
    let expected = midtrans_signature(
        notice.order_id,
        notice.status_code,
        notice.gross_amount,
        server_key,
    );
    if !secret::same(&expected, &notice.signature_key.to_ascii_lowercase()) {
        return Err(Refusal::BadSignature);
    }
    let whole = notice
        .gross_amount
        .strip_suffix(".00")
        .unwrap_or(notice.gross_amount);
    if whole.parse::<i64>().ok() != Some(expected_idr) {
        return Err(Refusal::AmountMismatch {
            got: notice.gross_amount.to_owned(),
            expected: expected_idr,
        });
    }
    Ok(())
}

/// Stripe's default tolerance for a webhook signature's age.
pub const STRIPE_TOLERANCE_SECONDS: i64 = 300;

/// Checks a `Stripe-Signature` header (`t=<unix>,v1=<hex>[,v1=...]`) over the raw body: any
/// `v1` may match; the timestamp must be within the tolerance of `now`.
pub fn verify_stripe(
    header: &str,
    body: &[u8],
    secret_key: &str,
    now: DateTime<Utc>,
    tolerance_seconds: i64,
) -> Result<(), Refusal> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
            Some(("v1", sig)) => signatures.push(sig.to_ascii_lowercase()),
            _ => {}
        }
    }
    let Some(timestamp) = timestamp else {
        return Err(Refusal::Malformed);
    };
    if signatures.is_empty() {
        return Err(Refusal::Malformed);
    }
    let expected = stripe_signature(timestamp, body, secret_key);
    if !signatures.iter().any(|s| secret::same(s, &expected)) {
        return Err(Refusal::BadSignature);
    }
    if (now.timestamp() - timestamp).abs() > tolerance_seconds {
        return Err(Refusal::Expired);
    }
    Ok(())
}

/// `HMAC-SHA256(secret, "<timestamp>.<body>")` in hex, as Stripe signs.
pub fn stripe_signature(timestamp: i64, body: &[u8], secret_key: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret_key.as_bytes()) else {
        return String::new();
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    hex(&mac.finalize().into_bytes())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn midtrans_notifications_are_checked_as_documented() {
        let key = "SB-Mid-server-uji";
        let signature = midtrans_signature("WRT-1", "200", "49000.00", key);
        assert_eq!(signature.len(), 128);
        let notice = MidtransNotice {
            order_id: "WRT-1",
            status_code: "200",
            gross_amount: "49000.00",
            signature_key: &signature,
        };
        assert_eq!(verify_midtrans(&notice, key, 49_000), Ok(()));
        assert_eq!(
            verify_midtrans(&notice, "kunci-lain", 49_000),
            Err(Refusal::BadSignature)
        );
        assert!(matches!(
            verify_midtrans(&notice, key, 99_000),
            Err(Refusal::AmountMismatch { .. })
        ));
        let tampered = MidtransNotice {
            gross_amount: "1000.00",
            ..notice.clone()
        };
        assert_eq!(
            verify_midtrans(&tampered, key, 1_000),
            Err(Refusal::BadSignature)
        );
    }

    #[test]
    fn stripe_signatures_are_checked_with_their_age() {
        let now = Utc::now();
        let body = br#"{"type":"checkout.session.completed"}"#;
        let t = now.timestamp();
        let good = stripe_signature(t, body, "whsec_uji");
        let header = format!("t={t},v1=deadbeef,v1={good}");
        assert_eq!(verify_stripe(&header, body, "whsec_uji", now, 300), Ok(()));
        assert_eq!(
            verify_stripe(&header, b"{}", "whsec_uji", now, 300),
            Err(Refusal::BadSignature)
        );
        assert_eq!(
            verify_stripe(&header, body, "whsec_lain", now, 300),
            Err(Refusal::BadSignature)
        );
        let old = t - 301;
        let stale = format!("t={old},v1={}", stripe_signature(old, body, "whsec_uji"));
        assert_eq!(
            verify_stripe(&stale, body, "whsec_uji", now, 300),
            Err(Refusal::Expired)
        );
        assert_eq!(
            verify_stripe("v1=ab", body, "whsec_uji", now, 300),
            Err(Refusal::Malformed)
        );
    }

    #[test]
    fn plans_periods_and_prices() {
        let plan = PlanEdit::parse(" Lintas  Kabar+ ", "49.000", "monthly").unwrap();
        assert_eq!(
            (plan.name.as_str(), plan.price_idr),
            ("Lintas Kabar+", 49_000)
        );
        assert_eq!(PlanEdit::parse("", "5", "weekly").unwrap_err().len(), 3);
        let jan31: DateTime<Utc> = "2027-01-31T00:00:00Z".parse().unwrap();
        assert_eq!(
            Period::Monthly.after(jan31).to_rfc3339(),
            "2027-02-28T00:00:00+00:00"
        );
        assert_eq!(rupiah(49_000), "Rp49.000");
        assert_eq!(rupiah(1_250_000), "Rp1.250.000");
    }
}
