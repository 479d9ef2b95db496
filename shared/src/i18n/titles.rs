//! Timeline titles for what happened to an order besides status changes
//! (those read as `statuses::status_text`): parcels added, carrier scans,
//! detected issues, and the shopper's requests and their outcome.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::dates::format_date;
use super::statuses::{tracking_detail_text, tracking_status_text};
use crate::carriers::status::{TrackingDetail, TrackingStatus};
use crate::domain::Locale;

/// A parcel was added: "Shipment created with FedEx (1234)".
pub fn shipment_created(carrier: &str, tracking_number: &str, locale: Locale) -> String {
    match locale {
        Locale::En => format!("Shipment created with {carrier} ({tracking_number})"),
        Locale::Es => format!("Envío creado con {carrier} ({tracking_number})"),
        Locale::Ro => format!("Expediere creată cu {carrier} ({tracking_number})"),
        Locale::Ru => format!("Создано отправление {carrier} ({tracking_number})"),
    }
}

/// A carrier scan, normalized: the parcel's status, and why it is held up
/// when the carrier says ("Delivery problem: held in customs").
pub fn carrier_event(status: TrackingStatus, detail: Option<TrackingDetail>, locale: Locale) -> String {
    let status_words = tracking_status_text(status, locale);
    match detail {
        // "Delivery attempt failed: nobody could receive it" says it twice.
        Some(TrackingDetail::FailedAttempt) if status == TrackingStatus::FailedAttempt => status_words.to_owned(),
        Some(detail) => format!("{status_words}: {}", tracking_detail_text(detail, locale)),
        None => status_words.to_owned(),
    }
}

/// A delay or exception we detected (`shipment_issues.kind`); `reason` is
/// the issue's detail code, `new_eta` the estimate a carrier moved to.
/// `None` for a kind this catalog does not know.
pub fn issue(
    kind: &str,
    reason: Option<&str>,
    new_eta: Option<DateTime<Utc>>,
    locale: Locale,
    zone: Tz,
) -> Option<String> {
    let title = match kind {
        "carrier_exception" => {
            let lead = match locale {
                Locale::En => "The carrier reported a problem",
                Locale::Es => "El transportista ha informado de una incidencia",
                Locale::Ro => "Curierul a semnalat o problemă",
                Locale::Ru => "Перевозчик сообщил о проблеме",
            };
            match reason.and_then(|r| r.parse::<TrackingDetail>().ok()) {
                Some(detail) => format!("{lead}: {}", tracking_detail_text(detail, locale)),
                None => lead.to_owned(),
            }
        }
        "eta_moved" => match new_eta.map(|at| format_date(at, locale, zone)) {
            Some(date) => match locale {
                Locale::En => format!("The carrier moved the estimated delivery to {date}"),
                Locale::Es => format!("El transportista ha aplazado la entrega estimada al {date}"),
                Locale::Ro => format!("Curierul a amânat livrarea estimată pentru {date}"),
                Locale::Ru => format!("Перевозчик перенёс ожидаемую доставку на {date}"),
            },
            None => match locale {
                Locale::En => "The carrier moved the estimated delivery later",
                Locale::Es => "El transportista ha aplazado la entrega estimada",
                Locale::Ro => "Curierul a amânat livrarea estimată",
                Locale::Ru => "Перевозчик перенёс ожидаемую доставку",
            }
            .to_owned(),
        },
        "eta_passed" => match locale {
            Locale::En => "The estimated delivery date passed without a delivery",
            Locale::Es => "Ha pasado la fecha de entrega estimada sin que llegue el paquete",
            Locale::Ro => "Data estimată de livrare a trecut, iar coletul nu a fost livrat",
            Locale::Ru => "Ожидаемая дата доставки прошла, а посылка не доставлена",
        }
        .to_owned(),
        "no_scan" => match locale {
            Locale::En => "No news from the carrier for a while",
            Locale::Es => "El transportista lleva tiempo sin dar noticias",
            Locale::Ro => "Curierul nu a mai transmis noutăți de ceva vreme",
            Locale::Ru => "От перевозчика давно нет новостей",
        }
        .to_owned(),
        _ => return None,
    };
    Some(title)
}

/// The shopper asked for something (`customer_requests.kind`); an address
/// change is `applied` at once.
pub fn request(kind: &str, status: &str, locale: Locale) -> &'static str {
    match (kind, status == "applied", locale) {
        ("reschedule", _, Locale::En) => "Delivery reschedule requested",
        ("reschedule", _, Locale::Es) => "Solicitud de cambio de fecha de entrega",
        ("reschedule", _, Locale::Ro) => "Solicitare de reprogramare a livrării",
        ("reschedule", _, Locale::Ru) => "Запрошен перенос доставки",
        ("change_address", true, Locale::En) => "Delivery address changed",
        ("change_address", true, Locale::Es) => "Dirección de entrega cambiada",
        ("change_address", true, Locale::Ro) => "Adresa de livrare a fost schimbată",
        ("change_address", true, Locale::Ru) => "Адрес доставки изменён",
        ("change_address", false, Locale::En) => "Address change requested",
        ("change_address", false, Locale::Es) => "Solicitud de cambio de dirección",
        ("change_address", false, Locale::Ro) => "Solicitare de schimbare a adresei",
        ("change_address", false, Locale::Ru) => "Запрошена смена адреса",
        (_, _, Locale::En) => "Message to customer support",
        (_, _, Locale::Es) => "Mensaje al servicio de atención al cliente",
        (_, _, Locale::Ro) => "Mesaj către serviciul clienți",
        (_, _, Locale::Ru) => "Сообщение в службу поддержки",
    }
}

/// Customer service closed a request of `kind` as `status` (resolved or rejected).
pub fn request_outcome(kind: &str, status: &str, locale: Locale) -> &'static str {
    match (status == "rejected", kind, locale) {
        (true, _, Locale::En) => "Request declined",
        (true, _, Locale::Es) => "Solicitud rechazada",
        (true, _, Locale::Ro) => "Solicitare respinsă",
        (true, _, Locale::Ru) => "Запрос отклонён",
        (false, "reschedule", Locale::En) => "Delivery rescheduled",
        (false, "reschedule", Locale::Es) => "Entrega reprogramada",
        (false, "reschedule", Locale::Ro) => "Livrare reprogramată",
        (false, "reschedule", Locale::Ru) => "Доставка перенесена",
        (false, "contact_support", Locale::En) => "Customer support replied",
        (false, "contact_support", Locale::Es) => "Atención al cliente ha respondido",
        (false, "contact_support", Locale::Ro) => "Serviciul clienți a răspuns",
        (false, "contact_support", Locale::Ru) => "Служба поддержки ответила",
        (false, _, Locale::En) => "Request resolved",
        (false, _, Locale::Es) => "Solicitud resuelta",
        (false, _, Locale::Ro) => "Solicitare rezolvată",
        (false, _, Locale::Ru) => "Запрос выполнен",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISSUE_KINDS: [&str; 4] = ["carrier_exception", "eta_moved", "eta_passed", "no_scan"];
    const OTHERS: [Locale; 3] = [Locale::Es, Locale::Ro, Locale::Ru];

    #[test]
    fn every_issue_kind_is_titled_in_every_locale() {
        let eta = DateTime::parse_from_rfc3339("2026-12-05T10:00:00Z").unwrap().with_timezone(&Utc);
        for kind in ISSUE_KINDS {
            let en = issue(kind, Some("customs_delay"), Some(eta), Locale::En, Tz::UTC).unwrap();
            for locale in OTHERS {
                let local = issue(kind, Some("customs_delay"), Some(eta), locale, Tz::UTC).unwrap();
                assert!(!local.is_empty() && local != en, "{kind} {locale}: {local}");
            }
        }
        assert_eq!(issue("something_new", None, None, Locale::Es, Tz::UTC), None);
    }

    #[test]
    fn issue_titles_carry_the_reason_and_the_new_date() {
        let eta = DateTime::parse_from_rfc3339("2026-12-05T22:30:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(
            issue("carrier_exception", Some("customs_delay"), None, Locale::Ru, Tz::UTC).unwrap(),
            "Перевозчик сообщил о проблеме: задержана на таможне"
        );
        assert_eq!(
            issue("carrier_exception", Some("exception"), None, Locale::Es, Tz::UTC).unwrap(),
            "El transportista ha informado de una incidencia"
        );
        // In Moscow the new estimate is already the 6th.
        assert_eq!(
            issue("eta_moved", None, Some(eta), Locale::Ru, Tz::Europe__Moscow).unwrap(),
            "Перевозчик перенёс ожидаемую доставку на 6 дек. 2026 г."
        );
    }

    #[test]
    fn carrier_events_read_as_the_normalized_status() {
        assert_eq!(carrier_event(TrackingStatus::InTransit, None, Locale::Ru), "В пути");
        assert_eq!(
            carrier_event(TrackingStatus::Exception, Some(TrackingDetail::CustomsDelay), Locale::Es),
            "Incidencia en la entrega: retenido en aduana"
        );
        assert_eq!(
            carrier_event(TrackingStatus::FailedAttempt, Some(TrackingDetail::FailedAttempt), Locale::Ro),
            "Încercare de livrare nereușită"
        );
    }

    #[test]
    fn requests_and_outcomes_are_translated() {
        const KINDS: [&str; 3] = ["reschedule", "change_address", "contact_support"];
        for (kind, status) in KINDS.iter().flat_map(|k| ["open", "applied", "resolved", "rejected"].map(|s| (*k, s))) {
            for locale in OTHERS {
                assert_ne!(request(kind, status, locale), request(kind, status, Locale::En), "{kind} {locale}");
                let outcome = request_outcome(kind, status, locale);
                assert_ne!(outcome, request_outcome(kind, status, Locale::En), "{kind} {status} {locale}");
            }
        }
        assert_eq!(request("change_address", "applied", Locale::En), "Delivery address changed");
        assert_eq!(request_outcome("reschedule", "resolved", Locale::Ru), "Доставка перенесена");
        assert_eq!(shipment_created("DHL", "JD01", Locale::Ro), "Expediere creată cu DHL (JD01)");
    }
}
