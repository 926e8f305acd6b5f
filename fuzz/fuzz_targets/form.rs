//! Form bodies as browsers post them (application/x-www-form-urlencoded), decoded the way axum's
//! `Form` decodes them into the registration form, then validated.
#![no_main]

use libfuzzer_sys::fuzz_target;
use warta_core::account::{Registration, check_password, normalize_email};

fuzz_target!(|data: &[u8]| {
    if let Ok(form) = serde_urlencoded::from_bytes::<Registration>(data) {
        if let Ok(valid) = form.validate() {
            assert_eq!(valid.email, normalize_email(&valid.email).expect("a valid address stays valid"));
            assert!(check_password(&valid.password).is_ok());
        }
    }
});
