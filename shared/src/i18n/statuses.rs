//! Names of order statuses, parcel (tracking) statuses and the reasons a
//! parcel is stuck, as shoppers read them.

use crate::carriers::status::{TrackingDetail, TrackingStatus};
use crate::domain::{Locale, OrderStatus};

/// Where the order stands, as a short sentence ("Order shipped"); also the
/// title of a status change on the timeline.
pub fn status_text(status: OrderStatus, locale: Locale) -> &'static str {
    use OrderStatus::*;
    match locale {
        Locale::En => match status {
            Pending => "Order received",
            Confirmed => "Order confirmed",
            Processing => "Order is being prepared",
            OnHold => "Order is on hold",
            Shipped => "Order shipped",
            InTransit => "Parcel in transit",
            OutForDelivery => "Out for delivery",
            Exception => "Delivery problem",
            Delivered => "Delivered",
            Cancelled => "Order cancelled",
            Returned => "Order returned",
        },
        Locale::Es => match status {
            Pending => "Pedido recibido",
            Confirmed => "Pedido confirmado",
            Processing => "Estamos preparando tu pedido",
            OnHold => "Pedido en espera",
            Shipped => "Pedido enviado",
            InTransit => "Paquete en tránsito",
            OutForDelivery => "En reparto",
            Exception => "Incidencia en la entrega",
            Delivered => "Entregado",
            Cancelled => "Pedido cancelado",
            Returned => "Pedido devuelto",
        },
        Locale::Ro => match status {
            Pending => "Comandă primită",
            Confirmed => "Comandă confirmată",
            Processing => "Comanda este în pregătire",
            OnHold => "Comandă în așteptare",
            Shipped => "Comandă expediată",
            InTransit => "Colet în tranzit",
            OutForDelivery => "În curs de livrare",
            Exception => "Problemă la livrare",
            Delivered => "Livrată",
            Cancelled => "Comandă anulată",
            Returned => "Comandă returnată",
        },
        Locale::Ru => match status {
            Pending => "Заказ получен",
            Confirmed => "Заказ подтверждён",
            Processing => "Заказ собирается",
            OnHold => "Заказ приостановлен",
            Shipped => "Заказ отправлен",
            InTransit => "Посылка в пути",
            OutForDelivery => "Передан курьеру",
            Exception => "Проблема с доставкой",
            Delivered => "Доставлен",
            Cancelled => "Заказ отменён",
            Returned => "Заказ возвращён",
        },
    }
}

/// Where a parcel is ("In transit"): the normalized title of a carrier scan
/// and the parcel state on the tracking page.
pub fn tracking_status_text(status: TrackingStatus, locale: Locale) -> &'static str {
    use TrackingStatus::*;
    match locale {
        Locale::En => match status {
            PreTransit => "Label created, waiting for the carrier",
            InTransit => "In transit",
            OutForDelivery => "Out for delivery",
            AvailableForPickup => "Ready for pickup",
            Delivered => "Delivered",
            FailedAttempt => "Delivery attempt failed",
            Exception => "Delivery problem",
            ReturnToSender => "Returning to sender",
            Cancelled => "Shipment cancelled",
            Unknown => "Carrier update",
        },
        Locale::Es => match status {
            PreTransit => "Etiqueta creada, pendiente del transportista",
            InTransit => "En tránsito",
            OutForDelivery => "En reparto",
            AvailableForPickup => "Listo para recoger",
            Delivered => "Entregado",
            FailedAttempt => "Intento de entrega fallido",
            Exception => "Incidencia en la entrega",
            ReturnToSender => "En devolución al remitente",
            Cancelled => "Envío cancelado",
            Unknown => "Actualización del transportista",
        },
        Locale::Ro => match status {
            PreTransit => "Etichetă creată, în așteptarea curierului",
            InTransit => "În tranzit",
            OutForDelivery => "În curs de livrare",
            AvailableForPickup => "Gata de ridicare",
            Delivered => "Livrat",
            FailedAttempt => "Încercare de livrare nereușită",
            Exception => "Problemă la livrare",
            ReturnToSender => "În curs de returnare la expeditor",
            Cancelled => "Expediere anulată",
            Unknown => "Actualizare de la curier",
        },
        Locale::Ru => match status {
            PreTransit => "Этикетка создана, ожидает передачи перевозчику",
            InTransit => "В пути",
            OutForDelivery => "Передана курьеру",
            AvailableForPickup => "Ожидает в пункте выдачи",
            Delivered => "Доставлена",
            FailedAttempt => "Неудачная попытка доставки",
            Exception => "Проблема с доставкой",
            ReturnToSender => "Возвращается отправителю",
            Cancelled => "Отправление отменено",
            Unknown => "Обновление от перевозчика",
        },
    }
}

/// Why a parcel is held up, in lower case to follow a colon
/// ("Delivery problem: held in customs").
pub fn tracking_detail_text(detail: TrackingDetail, locale: Locale) -> &'static str {
    use TrackingDetail::*;
    match locale {
        Locale::En => match detail {
            WeatherDelay => "delayed by weather",
            CustomsDelay => "held in customs",
            AddressIssue => "problem with the address",
            Damaged => "parcel damaged",
            Lost => "parcel lost",
            Refused => "refused by the recipient",
            FailedAttempt => "nobody could receive it",
            CarrierDelay => "delayed by the carrier",
            CustomsPayment => "customs charges to pay",
            PickupRequired => "to be collected by the recipient",
            Held => "held by the carrier",
            Other => "other reason",
        },
        Locale::Es => match detail {
            WeatherDelay => "retraso por el mal tiempo",
            CustomsDelay => "retenido en aduana",
            AddressIssue => "problema con la dirección",
            Damaged => "paquete dañado",
            Lost => "paquete extraviado",
            Refused => "rechazado por el destinatario",
            FailedAttempt => "no había nadie para recibirlo",
            CarrierDelay => "retraso del transportista",
            CustomsPayment => "aranceles de aduana pendientes de pago",
            PickupRequired => "el destinatario debe recogerlo",
            Held => "retenido por el transportista",
            Other => "otro motivo",
        },
        Locale::Ro => match detail {
            WeatherDelay => "întârziere din cauza vremii",
            CustomsDelay => "reținut la vamă",
            AddressIssue => "problemă cu adresa",
            Damaged => "colet deteriorat",
            Lost => "colet pierdut",
            Refused => "refuzat de destinatar",
            FailedAttempt => "nu a fost nimeni să-l primească",
            CarrierDelay => "întârziere la curier",
            CustomsPayment => "taxe vamale de plătit",
            PickupRequired => "trebuie ridicat de destinatar",
            Held => "reținut de curier",
            Other => "alt motiv",
        },
        Locale::Ru => match detail {
            WeatherDelay => "задержка из-за погоды",
            CustomsDelay => "задержана на таможне",
            AddressIssue => "проблема с адресом",
            Damaged => "посылка повреждена",
            Lost => "посылка утеряна",
            Refused => "получатель отказался",
            FailedAttempt => "некому было получить",
            CarrierDelay => "задержка у перевозчика",
            CustomsPayment => "нужно оплатить таможенный сбор",
            PickupRequired => "получателю нужно забрать её",
            Held => "задержана перевозчиком",
            Other => "другая причина",
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OTHERS: [Locale; 3] = [Locale::Es, Locale::Ro, Locale::Ru];

    /// Every text exists, and no locale but English falls back to English.
    fn translated<T: Copy + std::fmt::Debug>(all: &[T], text: impl Fn(T, Locale) -> &'static str) {
        for value in all.iter().copied() {
            let en = text(value, Locale::En);
            assert!(!en.trim().is_empty(), "{value:?} en");
            for locale in OTHERS {
                let local = text(value, locale);
                assert!(!local.trim().is_empty(), "{value:?} {locale}");
                assert_ne!(local, en, "{value:?} {locale} is English");
            }
            let cyrillic = text(value, Locale::Ru).chars().any(|c| matches!(c, 'а'..='я' | 'А'..='Я' | 'ё'));
            assert!(cyrillic, "{value:?} ru is not Russian");
        }
    }

    #[test]
    fn every_order_status_is_translated() {
        translated(OrderStatus::ALL, status_text);
    }

    #[test]
    fn every_tracking_status_is_translated() {
        translated(TrackingStatus::ALL, tracking_status_text);
    }

    #[test]
    fn every_tracking_detail_is_translated() {
        translated(TrackingDetail::ALL, tracking_detail_text);
    }

    #[test]
    fn texts_are_distinct_within_a_locale() {
        for locale in Locale::ALL.iter().copied() {
            let mut seen: Vec<&str> = OrderStatus::ALL.iter().map(|s| status_text(*s, locale)).collect();
            seen.sort_unstable();
            seen.dedup();
            assert_eq!(seen.len(), OrderStatus::ALL.len(), "{locale}: two statuses read the same");
        }
    }

    #[test]
    fn romanian_keeps_its_diacritics() {
        assert_eq!(status_text(OrderStatus::Confirmed, Locale::Ro), "Comandă confirmată");
        assert_eq!(tracking_status_text(TrackingStatus::FailedAttempt, Locale::Ro), "Încercare de livrare nereușită");
    }
}
