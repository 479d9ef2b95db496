//! A SendGrid event-webhook signing key made for this test run: the api
//! under test verifies with its public half, tests sign batches as
//! SendGrid does (ECDSA P-256 over timestamp + raw body, DER, base64).

use std::sync::OnceLock;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use ordertrack_shared::webhooks::sendgrid::P256_SPKI_HEADER;
use ring::rand::SystemRandom;
use ring::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_ASN1_SIGNING};

fn pair() -> &'static EcdsaKeyPair {
    static PAIR: OnceLock<EcdsaKeyPair> = OnceLock::new();
    PAIR.get_or_init(|| {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &rng).expect("key");
        EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8.as_ref(), &rng).expect("key pair")
    })
}

/// The public key as SendGrid shows it (`SENDGRID_WEBHOOK_PUBLIC_KEY`).
pub fn public_key() -> String {
    STANDARD.encode([&P256_SPKI_HEADER[..], pair().public_key().as_ref()].concat())
}

/// `X-Twilio-Email-Event-Webhook-Signature` for `timestamp` and `body`.
pub fn sign(timestamp: &str, body: &[u8]) -> String {
    let signed = [timestamp.as_bytes(), body].concat();
    STANDARD.encode(pair().sign(&SystemRandom::new(), &signed).expect("signature"))
}
