#!/usr/bin/env python3
"""Rows of the benchmark data set, as psql COPY scripts. `bench/dataset` runs
it once per table and pipes each table into psql; run that, not this.

    python3 bench/dataset.py copy TABLE --orders N --as-of YYYY-MM-DD [--freeze]
    python3 bench/dataset.py facts --orders N --as-of YYYY-MM-DD

One deterministic model of the shop feeds every table: order i's story (its
walk through the workflow, its parcel and carrier scans, the messages it
caused) is replayed identically by each table's generator, so the tables
agree with each other while only one order is in memory at a time (plus one
int per order saying who placed it).

Determinism: stories, and parcels' scans, come from two random streams with
fixed seeds, replayed in order-number order by every generator that needs
them; everything else (people, addresses, message outcomes) is a pure
function of a counter. Ids are counters too (uuid v8 with a per-table prefix;
explicit bigint ids for the bigserial tables). Timestamps are relative to
--as-of (midnight UTC), so the same --orders and --as-of give identical rows.
"""

import argparse
import array
import bisect
import datetime
import functools
import random
import sys

SEED = 20261202
MASK = (1 << 64) - 1

MINUTE = 60_000
HOUR = 60 * MINUTE
DAY = 24 * HOUR
YEAR = 365 * DAY

# Events per heavy parcel: the timeline's long-history case.
HEAVY_SCANS = 10_000
HEAVY_CYCLES = 300  # failed-delivery loops of a heavy order: ~900 status changes
# Key accounts and their order counts at 1M orders (scaled down below 250k).
KEY_ACCOUNTS = [
    ("acct-northwind", "Northwind Traders", "orders@northwind.example", "en", "US", 5000),
    ("acct-contoso", "Contoso Retail", "purchasing@contoso.example", "en", "GB", 4000),
    ("acct-fabrikam", "Fabrikam Iberia", "compras@fabrikam.example", "es", "ES", 3000),
    ("acct-tailspin", "Tailspin Toys România", "comenzi@tailspin.example", "ro", "RO", 2500),
    ("acct-adventure", "Adventure Works", "supply@adventure-works.example", "en", "CA", 2000),
]


def mix(x):
    """splitmix64's finaliser: a bijection on 64 bits that spreads a counter
    into well-mixed bits (so derived values are unique where they must be)."""
    x = (x + 0x9E3779B97F4A7C15) & MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK
    return x ^ (x >> 31)


# ---------------------------------------------------------------- ids, text

TAG_CUSTOMER, TAG_DEVICE, TAG_ORDER, TAG_SHIPMENT, TAG_NOTIFICATION, TAG_STAFF, TAG_TOKEN = range(1, 8)


def uid(tag, n):
    """A uuid v8 (RFC 9562 custom) from a table tag and a counter."""
    return f"{tag:08x}-0000-8000-8000-{n:012x}"


B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def b62(x, width=12):
    """x (< 62**width) in base62, fixed width: unique where x is."""
    out = []
    for _ in range(width):
        x, r = divmod(x, 62)
        out.append(B62[r])
    return "".join(out)


NULL = r"\N"
# Timestamps are ms since the epoch, written through lookup tables (strftime
# would be the generator's bottleneck at 20M rows): DAYS[day - FIRST_DAY[0]].
DAYS = []
FIRST_DAY = [0]
HMS = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86400)]
MS_TZ = [f".{f:03d}+00" for f in range(1000)]
MS_Z = [f".{f:03d}Z" for f in range(1000)]


def ts(ms):
    """A timestamptz literal for COPY."""
    s = ms // 1000
    return f"{DAYS[s // 86400 - FIRST_DAY[0]]} {HMS[s % 86400]}{MS_TZ[ms % 1000]}"


def iso(ms):
    """As chrono's serde writes a DateTime<Utc> (in tracking_events.raw)."""
    s = ms // 1000
    return f"{DAYS[s // 86400 - FIRST_DAY[0]]}T{HMS[s % 86400]}{MS_Z[ms % 1000]}"


def span(lo, hi, x):
    """lo..hi picked by x in [0, 1)."""
    return lo + int((hi - lo) * x)


# ---------------------------------------------------------------- people and places

# (display, ascii for emails, female)
FIRST = {
    "en": [("James", "james", 0), ("Mary", "mary", 1), ("Robert", "robert", 0), ("Patricia", "patricia", 1),
           ("John", "john", 0), ("Jennifer", "jennifer", 1), ("Michael", "michael", 0), ("Linda", "linda", 1),
           ("David", "david", 0), ("Sarah", "sarah", 1), ("Thomas", "thomas", 0), ("Emily", "emily", 1),
           ("Daniel", "daniel", 0), ("Olivia", "olivia", 1), ("Kevin", "kevin", 0), ("Grace", "grace", 1)],
    "es": [("María", "maria", 1), ("José", "jose", 0), ("Lucía", "lucia", 1), ("Carlos", "carlos", 0),
           ("Ana", "ana", 1), ("Javier", "javier", 0), ("Carmen", "carmen", 1), ("Pablo", "pablo", 0),
           ("Elena", "elena", 1), ("Diego", "diego", 0), ("Sofía", "sofia", 1), ("Manuel", "manuel", 0)],
    "ro": [("Andrei", "andrei", 0), ("Maria", "maria", 1), ("Ion", "ion", 0), ("Elena", "elena", 1),
           ("Mihai", "mihai", 0), ("Ioana", "ioana", 1), ("Alexandru", "alexandru", 0), ("Ana", "ana", 1),
           ("Ștefan", "stefan", 0), ("Cristina", "cristina", 1), ("Gheorghe", "gheorghe", 0), ("Irina", "irina", 1)],
    "ru": [("Александр", "aleksandr", 0), ("Елена", "elena", 1), ("Дмитрий", "dmitry", 0), ("Ольга", "olga", 1),
           ("Сергей", "sergey", 0), ("Наталья", "natalia", 1), ("Андрей", "andrey", 0), ("Татьяна", "tatiana", 1),
           ("Иван", "ivan", 0), ("Мария", "maria", 1)],
}
LAST = {
    "en": [("Smith", "smith"), ("Johnson", "johnson"), ("Williams", "williams"), ("Brown", "brown"),
           ("Jones", "jones"), ("Miller", "miller"), ("Davis", "davis"), ("Wilson", "wilson"), ("Taylor", "taylor"),
           ("O'Brien", "obrien"), ("Walker", "walker"), ("Young", "young"), ("King", "king"), ("Wright", "wright")],
    "es": [("García", "garcia"), ("Fernández", "fernandez"), ("López", "lopez"), ("Martínez", "martinez"),
           ("Sánchez", "sanchez"), ("Pérez", "perez"), ("Gómez", "gomez"), ("Ruiz", "ruiz"), ("Díaz", "diaz"),
           ("Moreno", "moreno"), ("Álvarez", "alvarez"), ("Romero", "romero")],
    "ro": [("Popescu", "popescu"), ("Ionescu", "ionescu"), ("Popa", "popa"), ("Dumitru", "dumitru"),
           ("Stan", "stan"), ("Stoica", "stoica"), ("Rusu", "rusu"), ("Munteanu", "munteanu"), ("Matei", "matei"),
           ("Constantin", "constantin"), ("Șerban", "serban")],
    # Feminine forms add "а" / "a" (Иванов -> Иванова).
    "ru": [("Иванов", "ivanov"), ("Смирнов", "smirnov"), ("Кузнецов", "kuznetsov"), ("Попов", "popov"),
           ("Васильев", "vasiliev"), ("Петров", "petrov"), ("Соколов", "sokolov"), ("Михайлов", "mikhailov")],
}
MAIL_DOMAINS = ["example.com", "example.org", "example.net", "mail.example", "inbox.example"]
LOCALES = [("en", 50), ("es", 22), ("ro", 16), ("ru", 12)]
COUNTRIES = {"en": [("US", 65), ("GB", 25), ("CA", 10)], "es": [("ES", 70), ("MX", 30)],
             "ro": [("RO", 85), ("MD", 15)], "ru": [("RU", 85), ("MD", 15)]}

GB_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def postal(country, prefix, h):
    """A code in the country's format (shared/src/domain/postal_code.rs)."""
    if country == "GB":  # outward + " 9AA"
        return f"{prefix} {h % 10}{GB_LETTERS[h // 10 % 20]}{GB_LETTERS[h // 200 % 20]}"
    if country == "CA":  # "A9A 9A9"
        return f"{prefix} {h % 10}{GB_LETTERS[h // 10 % 20]}{h // 200 % 10}"
    return f"{prefix}{h % 100:02d}"  # US/ES/MX: 3+2 digits, RO/RU: 4+2, MD: "MD-20" + 2


# country -> (cities (name, region, postal prefix, time zone), streets, line1 format, line2 formats, phone format)
PLACES = {
    "US": ([("New York", "NY", "100", "America/New_York"), ("Brooklyn", "NY", "112", "America/New_York"),
            ("Boston", "MA", "021", "America/New_York"), ("Miami", "FL", "331", "America/New_York"),
            ("Chicago", "IL", "606", "America/Chicago"), ("Austin", "TX", "787", "America/Chicago"),
            ("Denver", "CO", "802", "America/Denver"), ("Seattle", "WA", "981", "America/Los_Angeles"),
            ("San Francisco", "CA", "941", "America/Los_Angeles")],
           ["Main Street", "Oak Avenue", "Maple Drive", "Park Place", "Cedar Lane", "Elm Street", "2nd Avenue"],
           "{n} {s}", ["Apt {a}", "Suite {n}", "Unit {a}"], "+1{a3}555{d4}"),
    "GB": ([("London", None, "SW1A", "Europe/London"), ("London", None, "EC1A", "Europe/London"),
            ("London", None, "N1", "Europe/London"), ("Manchester", None, "M1", "Europe/London"),
            ("Birmingham", None, "B33", "Europe/London"), ("Leeds", None, "LS1", "Europe/London"),
            ("Edinburgh", None, "EH1", "Europe/London"), ("Cardiff", None, "CF10", "Europe/London")],
           ["High Street", "Station Road", "Church Lane", "Victoria Road", "Queen Street", "Mill Lane"],
           "{n} {s}", ["Flat {n}", "Unit {n}"], "+447700900{d3}"),
    "CA": ([("Toronto", "ON", "M5V", "America/Toronto"), ("Ottawa", "ON", "K1A", "America/Toronto"),
            ("Vancouver", "BC", "V6B", "America/Vancouver"), ("Montréal", "QC", "H2X", "America/Toronto")],
           ["King Street West", "Yonge Street", "Granville Street", "Rue Sainte-Catherine", "Bank Street"],
           "{n} {s}", ["Apt {a}", "Suite {n}"], "+1{a3}555{d4}"),
    "ES": ([("Madrid", "Madrid", "280", "Europe/Madrid"), ("Barcelona", "Barcelona", "080", "Europe/Madrid"),
            ("Valencia", "Valencia", "460", "Europe/Madrid"), ("Sevilla", "Sevilla", "410", "Europe/Madrid"),
            ("Bilbao", "Bizkaia", "480", "Europe/Madrid"), ("Zaragoza", "Zaragoza", "500", "Europe/Madrid")],
           ["Calle Mayor", "Gran Vía", "Calle de Alcalá", "Avenida de la Constitución", "Calle Real",
            "Paseo de Gracia"],
           "{s} {n}", ["{n}º {l}", "Bajo {l}", "Escalera {l}, {n}º"], "+346{d8}"),
    "MX": ([("Ciudad de México", "CDMX", "063", "America/Mexico_City"),
            ("Guadalajara", "Jalisco", "441", "America/Mexico_City"),
            ("Monterrey", "Nuevo León", "640", "America/Monterrey"),
            ("Puebla", "Puebla", "720", "America/Mexico_City")],
           ["Avenida Reforma", "Calle Madero", "Avenida Juárez", "Calle Hidalgo", "Avenida Insurgentes"],
           "{s} {n}", ["Int. {n}", "Depto. {n}"], "+5255{d8}"),
    "RO": ([("București", "București", "0300", "Europe/Bucharest"),
            ("București", "București", "0600", "Europe/Bucharest"),
            ("Cluj-Napoca", "Cluj", "4000", "Europe/Bucharest"), ("Iași", "Iași", "7000", "Europe/Bucharest"),
            ("Timișoara", "Timiș", "3000", "Europe/Bucharest"), ("Brașov", "Brașov", "5000", "Europe/Bucharest")],
           ["Strada Victoriei", "Bulevardul Unirii", "Strada Lipscani", "Calea Dorobanților", "Strada Mihai Eminescu"],
           "{s} {n}", ["Bl. {n}, Ap. {m}", "Sc. {l}, Ap. {m}"], "+407{d8}"),
    "MD": ([("Chișinău", None, "MD-20", "Europe/Chisinau"), ("Bălți", None, "MD-31", "Europe/Chisinau")],
           ["Bulevardul Ștefan cel Mare", "Strada București", "Strada Pușkin", "Strada Ismail"],
           "{s} {n}", ["Ap. {m}"], "+3736{d7}"),
    "RU": ([("Москва", "Москва", "1010", "Europe/Moscow"), ("Москва", "Москва", "1253", "Europe/Moscow"),
            ("Санкт-Петербург", "Санкт-Петербург", "1900", "Europe/Moscow"),
            ("Казань", "Татарстан", "4200", "Europe/Moscow"),
            ("Новосибирск", "Новосибирская область", "6300", "Asia/Novosibirsk")],
           ["ул. Тверская", "Невский проспект", "ул. Ленина", "ул. Пушкина", "пр. Мира"],
           "{s}, д. {n}", ["кв. {m}", "корп. {l}, кв. {m}"], "+79{d9}"),
}


def pick(weighted, x):
    """The item whose cumulative weight band holds x in [0, 1)."""
    total = sum(w for _, w in weighted)
    x *= total
    for item, w in weighted:
        if x < w:
            return item
        x -= w
    return weighted[-1][0]


def address(country, h):
    """(city, region, postal code, line1, line2 or NULL, time zone) from a hash."""
    cities, streets, line1, line2s, _ = PLACES[country]
    city, region, prefix, tz = cities[h % len(cities)]
    h >>= 8
    n = 1 + h % 180
    h >>= 8
    l1 = line1.format(n=n, s=streets[h % len(streets)])
    h >>= 8
    l2 = NULL
    if h % 5 == 0:
        l2 = line2s[h // 5 % len(line2s)].format(n=1 + h % 12, m=1 + h % 90, a=f"{1 + h % 9}{'ABCD'[h // 7 % 4]}",
                                                  l="ABCD"[h // 11 % 4])
    h >>= 16
    return city, region or NULL, postal(country, prefix, h), l1, l2, tz


def phone(country, h):
    """An E.164 number in the country's shape (fiction ranges where there are some)."""
    fmt = PLACES[country][4]
    return fmt.format(a3=200 + h % 700, d3=f"{h % 1000:03d}", d4=f"{h % 10000:04d}", d7=f"{h % 10**7:07d}",
                      d8=f"{h % 10**8:08d}", d9=f"{h % 10**9:09d}")


def person(locale, h):
    """(display name, email local part) from a hash."""
    first, first_ascii, female = FIRST[locale][h % len(FIRST[locale])]
    last, last_ascii = LAST[locale][(h >> 8) % len(LAST[locale])]
    if female and locale == "ru":
        last, last_ascii = last + "а", last_ascii + "a"
    return f"{first} {last}", f"{first_ascii}.{last_ascii}"


def guest_place(i):
    """A guest order's (locale, country)."""
    h = mix(i ^ 0x6E57)
    locale = pick(LOCALES, (h & 0xFFFF) / 65536)
    return locale, pick(COUNTRIES[locale], ((h >> 16) & 0xFFFF) / 65536)


class Customer:
    __slots__ = ("c", "id", "external_id", "name", "email", "phone", "locale", "country", "verified", "devices",
                 "home", "key_account")


# Who changes statuses besides the carriers: the storefront's service tokens
# and console staff. Actor texts follow api/src/auth.rs and StaffUser::actor.
STOREFRONT = f"service:{uid(TAG_TOKEN, 1)} (storefront)"
WAREHOUSE = f"service:{uid(TAG_TOKEN, 2)} (warehouse)"
STAFF = [(role, f"{role}:{uid(TAG_STAFF, k)} ({name} <{email}>)") for k, (role, name, email) in enumerate([
    ("csr", "Laura Medina", "laura.medina@ordertrack.example"),
    ("csr", "Mihai Dobre", "mihai.dobre@ordertrack.example"),
    ("csr", "Anna Petrova", "anna.petrova@ordertrack.example"),
    ("csr", "Tom Baker", "tom.baker@ordertrack.example"),
    ("admin", "Sam Rivera", "sam.rivera@ordertrack.example"),
], start=1)]
NOTES = {
    "on_hold": ["Payment under review", "Address could not be verified", "Waiting for stock", "Fraud check"],
    "resume": ["Payment verified", "Address confirmed with the customer", "Stock arrived"],
    "cancelled": ["Customer asked to cancel", "Payment declined", "Item out of stock", "Duplicate order"],
    "returned": ["Return received at the warehouse", "Refund issued after the return"],
}

# ---------------------------------------------------------------- the workflow walk

P, C, PR, OH, S, IT, OFD, EX, D, X, R = ("pending", "confirmed", "processing", "on_hold", "shipped", "in_transit",
                                         "out_for_delivery", "exception", "delivered", "cancelled", "returned")
# Paths through status_transitions (foundation migration) and how common they are.
TEMPLATES = [
    (30, (C, PR, S, IT, OFD, D)),
    (33, (C, S, IT, OFD, D)),
    (7, (P, C, PR, S, IT, OFD, D)),
    (5, (C, PR, S, IT, OFD, EX, OFD, D)),  # a failed delivery attempt
    (4, (C, S, IT, EX, IT, OFD, D)),  # customs or weather delay
    (3, (C, OH, PR, S, IT, OFD, D)),  # held for review
    (1, (P, OH, C, S, IT, OFD, D)),
    (3, (C, S, IT, OFD, D, R)),  # sent back by the shopper
    (2, (C, PR, S, D)),  # the carrier's intermediate scans never reached us
    (4, (C, X)),
    (1.5, (P, X)),
    (1.5, (C, PR, X)),
    (1, (C, OH, X)),
    (1, (C, S, IT, EX, R)),  # returned to sender
    (0.5, (C, S, IT, OFD, EX)),  # an exception nobody resolved
    (0.3, (C, OH)),
    (0.2, (P,)),
]
TEMPLATE_CUM = []
for _w, _ in TEMPLATES:
    TEMPLATE_CUM.append((TEMPLATE_CUM[-1] if TEMPLATE_CUM else 0) + _w)
TEMPLATE_CUM = [w / TEMPLATE_CUM[-1] for w in TEMPLATE_CUM]
# Per template: the path with a parcel, and without one (3% of shipped
# orders go with the shop's own courier: shipped, then delivered by the shop).
PATHS = [(path, path[:path.index(S) + 1] + (D,) if S in path else None) for _, path in TEMPLATES]

# How long after the previous step each step happens: (min, max) ms.
DURATION = {
    (P, C): (2 * MINUTE, 6 * HOUR), (P, OH): (10 * MINUTE, 12 * HOUR), (P, X): (1 * DAY, 3 * DAY),
    (C, PR): (30 * MINUTE, 20 * HOUR), (C, S): (4 * HOUR, 2 * DAY), (C, OH): (10 * MINUTE, 1 * DAY),
    (C, X): (10 * MINUTE, 2 * DAY), (PR, S): (2 * HOUR, 3 * DAY), (PR, X): (1 * HOUR, 2 * DAY),
    (OH, C): (2 * HOUR, 3 * DAY), (OH, PR): (2 * HOUR, 3 * DAY), (OH, X): (2 * HOUR, 3 * DAY),
    (S, IT): (2 * HOUR, 30 * HOUR), (S, D): (1 * DAY, 4 * DAY), (IT, OFD): (1 * DAY, 5 * DAY),
    (IT, EX): (1 * DAY, 3 * DAY), (OFD, D): (1 * HOUR, 10 * HOUR), (OFD, EX): (2 * HOUR, 9 * HOUR),
    (EX, OFD): (14 * HOUR, 30 * HOUR), (EX, IT): (1 * DAY, 4 * DAY), (EX, R): (2 * DAY, 7 * DAY),
    (D, R): (3 * DAY, 25 * DAY),
}
DURATION = {k: (lo, hi - lo) for k, (lo, hi) in DURATION.items()}  # as (min, width)
HEAVY_STEP = (HOUR, 2 * HOUR)  # a heavy parcel's carrier steps, so 900 fit in ~75 days
CARRIER_MOVES = {IT, OFD, D, EX, R}
CARRIER_ACTOR = {c: f"carrier:{c}" for c in ("fedex", "ups", "dhl")}
# NotificationEvent::for_status
EVENT_FOR = {C: "order_confirmed", S: "order_shipped", OFD: "out_for_delivery", D: "delivered",
             EX: "delivery_exception", X: "cancelled", R: "returned"}
CRITICAL = {"delayed", "delivery_exception", "action_needed", "verification_code"}
SMS_EVENTS = {"out_for_delivery", "delayed", "delivery_exception", "action_needed"}  # DEFAULT_SMS_EVENTS
PREFERENCE_EVENTS = ["order_confirmed", "order_shipped", "out_for_delivery", "delivered", "delayed",
                     "delivery_exception", "action_needed", "cancelled", "returned", "custom", "request_received",
                     "request_resolved"]

# ---------------------------------------------------------------- carriers' words

# kind -> per carrier (code, description); statuses are TrackingStatus texts.
SCANS = {
    "label": {"fedex": [("OC", "Shipment information sent to FedEx")],
              "ups": [("M/MP", "Shipper created a label, UPS has not received the package yet.")],
              "dhl": [("pre-transit", "The instruction data for this shipment have been provided by the sender")]},
    "pickup": {"fedex": [("PU", "Picked up")], "ups": [("I/OR", "Origin Scan")],
               "dhl": [("transit", "Shipment picked up")]},
    "hub": {"fedex": [("AR", "Arrived at FedEx location"), ("DP", "Departed FedEx location"), ("IT", "In transit"),
                      ("AF", "At local FedEx facility")],
            "ups": [("I/AR", "Arrived at Facility"), ("I/DP", "Departed from Facility"), ("I/005", "On the Way"),
                    ("I/YP", "Processing at UPS Facility")],
            "dhl": [("transit", "Arrived at DHL Sort Facility"), ("transit", "Departed from DHL Sort Facility"),
                    ("transit", "Processed at DHL hub"), ("transit", "Shipment is in transit to destination")]},
    "resume": {"fedex": [("AF", "At local FedEx facility")], "ups": [("I/AR", "Arrived at Facility")],
               "dhl": [("transit", "Arrived at Delivery Facility")]},
    "ofd": {"fedex": [("OD", "On FedEx vehicle for delivery")], "ups": [("I/OT", "Out For Delivery Today")],
            "dhl": [("transit", "Shipment is out with courier for delivery")]},
    "delivered": {"fedex": [("DL", "Delivered")], "ups": [("D/FS", "Delivered")], "dhl": [("delivered", "Delivered")]},
    "failed": {"fedex": [("DE/08", "Delivery exception: Customer not available or business closed")],
               "ups": [("X/48", "The receiver was not available for delivery. We'll make a second attempt.")],
               "dhl": [("failure", "Recipient not at home - delivery attempt failed")]},
    "return": {"fedex": [("RS", "Returning package to shipper")], "ups": [("RS/RS", "Returning to Sender")],
               "dhl": [("transit", "Shipment is being returned to shipper")]},
}
SCAN_STATUS = {"label": "pre_transit", "pickup": "in_transit", "hub": "in_transit", "resume": "in_transit",
               "ofd": "out_for_delivery", "delivered": "delivered", "failed": "failed_attempt",
               "return": "return_to_sender"}
# Exceptions on the way: (detail, per carrier (code, description)).
EXCEPTIONS = [
    ("customs_delay", {"fedex": ("CD", "Clearance delay"), "ups": ("X/CD", "Your package is being held in customs"),
                       "dhl": ("failure", "Clearance delay - customs")}),
    ("weather_delay", {"fedex": ("SE", "Shipment exception: Weather delay"),
                       "ups": ("X/WD", "Severe weather conditions have delayed delivery"),
                       "dhl": ("failure", "Weather delay")}),
    ("address_issue", {"fedex": ("DE/03", "Delivery exception: Incorrect address"),
                       "ups": ("X/33", "The address is incorrect"),
                       "dhl": ("failure", "Address information incorrect")}),
]
HUBS = {"US": ["Memphis, TN, US", "Louisville, KY, US", "Indianapolis, IN, US", "Newark, NJ, US"],
        "GB": ["Stansted, GB", "Coventry, GB", "East Midlands, GB"],
        "CA": ["Mississauga, ON, CA", "Richmond, BC, CA"],
        "ES": ["Madrid, ES", "Zaragoza, ES", "Vitoria, ES"],
        "MX": ["Ciudad de México, MX", "Querétaro, MX"],
        "RO": ["Otopeni, RO", "Cluj-Napoca, RO", "Leipzig, DE"],
        "MD": ["Chișinău, MD", "Otopeni, RO", "Leipzig, DE"],
        "RU": ["Москва, RU", "Leipzig, DE", "Санкт-Петербург, RU"]}


def tracking_number(carrier, sidx):
    """Unique per carrier (a bijection of the parcel counter), in the
    carrier's shape (Carrier::parse_tracking_number)."""
    if carrier == "fedex":
        return f"7{(sidx * 48271 + 12345) % 10**11:011d}"
    if carrier == "ups":
        return f"1Z4E8A2103{(sidx * 48271 + 777) % 10**8:08d}"
    return f"{(sidx * 48271 + 4242) % 10**10:010d}"


# ---------------------------------------------------------------- the world

class Clock:
    def __init__(self, as_of):
        day = (as_of - datetime.date(1970, 1, 1)).days
        self.now = day * DAY
        self.start = self.now - YEAR
        FIRST_DAY[0] = day - 400
        DAYS[:] = [(datetime.date(1970, 1, 1) + datetime.timedelta(days=d)).isoformat()
                   for d in range(day - 400, day + 60)]


class Story:
    """One order: who placed it, its status walk (steps), its parcel."""
    __slots__ = ("i", "id", "created", "owner", "locale", "country", "steps", "hist_id", "carrier", "sidx", "heavy")


class World:
    def __init__(self, n, as_of):
        self.n = n
        self.clock = Clock(as_of)
        rng = random.Random(SEED)
        self.key_orders = [min(base, max(1, base * n // 250_000)) for *_, base in KEY_ACCOUNTS]
        self.customers = max(len(KEY_ACCOUNTS) + 1, n // 5)
        self.owners = self._owners(rng)
        heavy = max(1, round(5 * n / 1_000_000))
        # In the year's first half, so all 10,000 scans are in the past.
        self.heavy_orders = sorted({n * (k + 1) // (2 * heavy + 2) for k in range(heavy)})
        self._first = None
        # Scans draw from their own stream: the two tables that need them
        # (shipments, tracking_events) both walk every parcel in order.
        self.scan_random = random.Random(SEED + 2).random

    def _owners(self, rng):
        """Who placed each order (-1: a guest). Regular customers' counts are
        Zipf-like over 1..20 (mean ~3.8); key accounts have thousands."""
        zipf = [k ** -1.4 for k in range(1, 21)]
        cum = [sum(zipf[:k + 1]) for k in range(20)]
        counts = rng.choices(range(1, 21), cum_weights=cum, k=self.customers - len(KEY_ACCOUNTS))
        owners = array.array("l")
        for c, k in enumerate(self.key_orders):
            owners.extend([c] * k)
        for j, k in enumerate(counts):
            owners.extend([len(KEY_ACCOUNTS) + j] * k)
        del owners[self.n:]
        owners.extend([-1] * (self.n - len(owners)))
        rng.shuffle(owners)
        return owners

    def signed_up(self, c):
        """When customer c signed up: shortly before their first order."""
        if self._first is None:
            first = array.array("l", [-1]) * self.customers
            for i, c2 in enumerate(self.owners):
                if c2 >= 0 and first[c2] < 0:
                    first[c2] = i
            self._first = first
        h = mix(c ^ 0xC4EA)
        if self._first[c] < 0:  # no orders (only when customers outnumber them)
            return self.clock.start + h % YEAR
        return max(self.clock.start, self.created(self._first[c]) - 5 * MINUTE - h % (20 * DAY))

    def created(self, i):
        """Order i's placement time: spread over the year, in order-number order."""
        step = YEAR // self.n
        return self.clock.start + i * YEAR // self.n + mix(i ^ 0xC0FFEE) % max(1, step)

    @functools.lru_cache(maxsize=1 << 16)
    def customer(self, c):
        """Customer c, a pure function of c (0..4: the key accounts)."""
        h = mix(c ^ 0xC057)
        cu = Customer()
        cu.c = c
        cu.id = uid(TAG_CUSTOMER, c)
        cu.key_account = c < len(KEY_ACCOUNTS)
        if cu.key_account:
            cu.external_id, cu.name, cu.email, cu.locale, cu.country, _ = KEY_ACCOUNTS[c]
            cu.phone, cu.verified, cu.devices = NULL, False, []
        else:
            cu.external_id = f"cust-{c:08d}"
            cu.locale = pick(LOCALES, (h & 0xFFFF) / 65536)
            cu.country = pick(COUNTRIES[cu.locale], ((h >> 16) & 0xFFFF) / 65536)
            cu.name, local = person(cu.locale, h >> 32)
            h2 = mix(h)
            cu.email = f"{local}.{c}@{MAIL_DOMAINS[h2 % len(MAIL_DOMAINS)]}" if h2 % 100 >= 3 else NULL
            has_phone = cu.email is NULL or (h2 >> 8) % 100 < 55
            cu.phone = phone(cu.country, h2 >> 16) if has_phone else NULL
            cu.verified = has_phone and (h2 >> 40) % 100 < 45
            # Push devices: (device counter, still registered)
            d = (h2 >> 48) % 100
            count = 2 if d < 8 else 1 if d < 32 else 0
            cu.devices = [(2 * c + k, mix(2 * c + k) % 100 >= 6) for k in range(count)]
        cu.home = mix(h ^ 0xADD7)
        return cu

    def stories(self):
        """Every order's story, in order; replayed identically by each table."""
        rng = random.Random(SEED + 1)
        r = rng.random
        now = self.clock.now
        heavy = set(self.heavy_orders)
        hist_id = 1
        sidx = 0
        heavy_path = (C, PR, S, IT) + (OFD, EX, IT) * HEAVY_CYCLES + (OFD, D)
        for i in range(self.n):
            st = Story()
            st.i = i
            st.id = uid(TAG_ORDER, i)
            st.created = self.created(i)
            st.owner = c = self.owners[i]
            if c >= 0:
                cu = self.customer(c)
                st.locale, st.country = cu.locale, cu.country
            else:
                st.locale, st.country = guest_place(i)
            st.heavy = i in heavy
            if st.heavy:
                path = heavy_path
                st.carrier = self._carrier(st.country, r())
            else:
                path, own_courier = PATHS[bisect.bisect(TEMPLATE_CUM, r())]
                st.carrier = None
                if own_courier:
                    if r() < 0.03:
                        path = own_courier
                    else:
                        st.carrier = self._carrier(st.country, r())
            st.steps = steps = self._walk(path, st.created, st.carrier, st.heavy, r, now)
            st.hist_id = hist_id
            hist_id += len(steps)
            st.sidx = None
            if st.carrier and len(steps) > path.index(S):
                st.sidx = sidx
                sidx += 1
            yield st

    @staticmethod
    def _carrier(country, x):
        if country in ("US", "CA"):
            return "fedex" if x < 0.5 else "ups" if x < 0.95 else "dhl"
        if country == "GB":
            return "ups" if x < 0.4 else "dhl" if x < 0.8 else "fedex"
        return "dhl" if x < 0.55 else "ups" if x < 0.8 else "fedex"

    def _walk(self, path, at, carrier, heavy, r, now):
        """The steps (from, to, occurred, recorded, source, actor, note) of
        `path` that have happened by now: in-flight orders are those cut short."""
        who = self._who
        steps = [(None, path[0], at, at + int(400 * r()), "storefront", STOREFRONT, NULL)]
        prev = path[0]
        for to in path[1:]:
            lo, width = HEAVY_STEP if heavy and to in CARRIER_MOVES else DURATION[prev, to]
            at += lo + int(width * r())
            if at > now:
                break
            if carrier and to in CARRIER_MOVES and prev != D:
                # The carrier's scan moved it, heard of on a poll.
                steps.append((prev, to, at, at + MINUTE + int(40 * MINUTE * r()), "carrier", CARRIER_ACTOR[carrier],
                              NULL))
            else:
                source, actor, note = who(prev, to, r)
                steps.append((prev, to, at, at + int(400 * r()), source, actor, note))
            prev = to
        return steps

    @staticmethod
    def _who(prev, to, r):
        """Who, besides a carrier, took the step; staff always say why."""
        if prev == P and to == C:
            return "storefront", STOREFRONT, NULL
        if to in (PR, S, D):
            return "storefront", WAREHOUSE, NULL
        if to == X and prev != OH and r() < 0.6:  # the shopper cancelled in the shop
            return "storefront", STOREFRONT, NULL
        role, actor = STAFF[int(r() * len(STAFF))]
        notes = NOTES["resume" if prev == OH and to != X else to]
        return role, actor, notes[int(r() * len(notes))]

    # -------------------------------------------------------- parcels

    def scans(self, st):
        """The parcel's carrier events, oldest first:
        (status, detail, code, description, location, occurred, recorded, applied).
        A scan per carrier-driven step (at that step's time), the label before
        them, hub scans while in transit; a few parcels get a late scan that
        arrives after delivery and is not applied."""
        r = self.scan_random
        carrier = st.carrier
        now = self.clock.now
        hubs = HUBS[st.country]
        out = []
        steps = st.steps
        ship_at = next(s[2] for s in steps if s[1] == S)
        label_at = ship_at + MINUTE + int(30 * MINUTE * r())
        if label_at <= now:
            out.append(self._scan("label", carrier, None, label_at, label_at + 5 * MINUTE, hubs[0], r))
        heavy_fill = HEAVY_SCANS - (1 + sum(1 for s in steps if s[4] == "carrier")) if st.heavy else 0
        gaps = sum(1 for s in steps if s[4] == "carrier" and s[1] == IT)
        gap_no = 0
        for k, (prev, to, at, recorded, source, _, _) in enumerate(steps):
            if source != "carrier":
                continue
            if to == IT:
                kind = "pickup" if prev == S else "resume"
                out.append(self._scan(kind, carrier, None, at, recorded, hubs[0], r))
                # Hub scans until the next step (or until now, still moving).
                until = steps[k + 1][2] if k + 1 < len(steps) else min(now, at + 3 * DAY)
                if st.heavy:
                    count = heavy_fill * (gap_no + 1) // gaps - heavy_fill * gap_no // gaps
                    times = [at + (until - at) * (m + 1) // (count + 1) for m in range(count)]
                else:
                    count = int(r() * 3) if until - at > 2 * MINUTE else 0
                    times = sorted(at + 1 + int((until - at - 2) * r()) for _ in range(count))
                gap_no += 1
                for t in times:
                    out.append(self._scan("hub", carrier, None, t, t + MINUTE + int(30 * MINUTE * r()),
                                          hubs[int(r() * len(hubs))], r))
            elif to == OFD:
                out.append(self._scan("ofd", carrier, None, at, recorded, hubs[-1], r))
            elif to == D:
                out.append(self._scan("delivered", carrier, None, at, recorded, None, r))
            elif to == EX and prev == OFD:
                out.append(self._scan("failed", carrier, "failed_attempt", at, recorded, None, r))
            elif to == EX:
                detail, words = EXCEPTIONS[2 if steps[-1][1] == R else int(r() * 2)]
                code, text = words[carrier]
                out.append(("exception", detail, code, text, hubs[-1], at, recorded, True))
            elif to == R:
                out.append(self._scan("return", carrier, None, at, recorded, hubs[-1], r))
        if not st.heavy and out and out[-1][0] == "delivered" and r() < 0.03 and len(out) > 3:
            # A hub scan from before delivery that the carrier reported late.
            t = (out[1][5] + out[-2][5]) // 2
            late = self._scan("hub", carrier, None, t, out[-1][6] + HOUR + int(40 * HOUR * r()), hubs[0], r)
            if late[6] <= now:
                out.append(late[:7] + (False,))
                out.sort(key=lambda e: e[5])
        # (shipment, occurred, code, status) is unique: never two scans in one ms.
        for k in range(1, len(out)):
            if out[k][5] <= out[k - 1][5]:
                out[k] = out[k][:5] + (out[k - 1][5] + 1,) + out[k][6:]
        return out

    @staticmethod
    def _scan(kind, carrier, detail, at, recorded, location, r):
        options = SCANS[kind][carrier]
        code, text = options[int(r() * len(options))] if len(options) > 1 else options[0]
        return (SCAN_STATUS[kind], detail, code, text, location, at, recorded, True)

    # -------------------------------------------------------- messages

    def messages(self, st):
        """The outbox rows the story's status changes wrote (notify_order):
        (event, channel, recipient, customer id, device id, occasion, created)."""
        out = []
        seen = set()
        cu = self.customer(st.owner) if st.owner >= 0 else None
        if cu is None:
            email, ph = self.guest_contact(st.i)[:2]
        else:
            email, ph = cu.email, cu.phone
        for k, (_, to, _, recorded, _, _, _) in enumerate(st.steps):
            event = EVENT_FOR.get(to)
            if event is None:
                continue
            occasion = "confirmed" if event == "order_confirmed" else f"history-{st.hist_id + k}"
            if occasion in seen:
                continue
            seen.add(occasion)
            at = recorded + 1
            if email is not NULL:
                out.append((event, "email", email, cu, NULL, occasion, at))
            if ph is not NULL and event in SMS_EVENTS and (cu is None or cu.verified):
                out.append((event, "sms", ph, cu, NULL, occasion, at))
            if cu is not None:
                for dev, active in cu.devices:
                    if active:
                        d = uid(TAG_DEVICE, dev)
                        out.append((event, "push", d, cu, d, occasion, at))
        return out

    @staticmethod
    def guest_contact(i):
        """A guest's (email, phone, name): at least one of email and phone."""
        h = mix(i ^ 0x9E57)
        locale, country = guest_place(i)
        name, local = person(locale, h)
        email = f"{local}.g{i}@{MAIL_DOMAINS[(h >> 16) % len(MAIL_DOMAINS)]}" if (h >> 24) % 100 >= 8 else NULL
        ph = phone(country, h >> 32) if email is NULL or (h >> 40) % 100 < 40 else NULL
        return email, ph, name


PROVIDER = {"email": "smtp", "sms": "twilio", "push": "fcm"}
SEND_MS = {"email": (120, 780), "sms": (200, 500), "push": (60, 240)}  # how long a send takes: (min, width)
ERRORS = {  # channel -> (transient, permanent)
    "email": ("421 4.7.0 Try again later, closing connection", "550 5.1.1 Recipient address rejected: User unknown"),
    "sms": ("twilio 503: Service Unavailable", "twilio 21211: The 'To' number is not a valid phone number"),
    "push": ("fcm 503 UNAVAILABLE", "fcm 404 UNREGISTERED: the registration token is not registered"),
}


def delivery(nidx, channel, nid, created):
    """How message nidx went: its attempts (outcome, started, ms, error,
    provider id), final status, sent time and last error. Every message is
    final (sent or failed): a worker or sweeper started on the data set finds
    nothing due to send."""
    h = mix(nidx ^ 0x5E4D)
    x = h % 1000
    outcomes = (["sent"] if x < 850 else ["transient_error", "sent"] if x < 985
                else ["permanent_error"] if x < 993 else ["transient_error", "permanent_error"])
    attempts = []
    start = created + 20 + (h >> 10) % 2000
    lo, width = SEND_MS[channel]
    for k, outcome in enumerate(outcomes):
        ms = lo + (h >> (20 + 8 * k)) % width
        if outcome == "sent":
            if channel == "email":
                pid = f"<{nid}@mail.ordertrack.example>"
            elif channel == "sms":
                pid = f"SM{h:016x}{mix(h):016x}"
            else:
                pid = f"projects/ordertrack/messages/0:{h % 10**16:016d}"
            attempts.append(("sent", start, ms, NULL, pid))
        else:
            attempts.append((outcome, start, ms, ERRORS[channel][outcome == "permanent_error"], NULL))
        start += ms + 30_000 + (h >> (30 + 8 * k)) % 240_000  # the retry's backoff
    last = attempts[-1]
    sent = last[0] == "sent"
    return attempts, ("sent" if sent else "failed"), (last[1] + last[2]), (NULL if sent else last[3])


# ---------------------------------------------------------------- tables

def t_customers(w):
    for c in range(w.customers):
        cu = w.customer(c)
        created = w.signed_up(c)
        verified = ts(created + MINUTE + mix(c ^ 0x7E1) % (30 * MINUTE)) if cu.verified else NULL
        yield (f"{cu.id}\t{cu.external_id}\t{cu.email}\t{cu.phone}\t{cu.name}\t{cu.locale}\t{ts(created)}\t"
               f"{ts(created)}\t{verified}\n")


def t_notification_preferences(w):
    plain = "{" + ", ".join(f'"{e}": ["email", "push"]' for e in PREFERENCE_EVENTS) + "}"
    with_sms = "{" + ", ".join(f'"{e}": ["email", "sms", "push"]' if e in SMS_EVENTS else f'"{e}": ["email", "push"]'
                               for e in PREFERENCE_EVENTS) + "}"
    for c in range(w.customers):
        cu = w.customer(c)
        created = w.signed_up(c)
        tz = address(cu.country, cu.home)[5]
        quiet = ("22:00:00", "07:00:00") if mix(c ^ 0x9071) % 10 == 0 else (NULL, NULL)
        yield (f"{cu.id}\t{cu.locale}\t{tz}\t{quiet[0]}\t{quiet[1]}\t{with_sms if cu.verified else plain}\t"
               f"{ts(created)}\n")


def t_device_tokens(w):
    for c in range(w.customers):
        cu = w.customer(c)
        if not cu.devices:
            continue
        created = w.signed_up(c)
        for dev, active in cu.devices:
            h = mix(dev ^ 0xDE71)
            platform = "android" if h % 100 < 55 else "ios" if h % 100 < 95 else "web"
            token = f"{b62(mix(dev), 11)}:APA91b{b62(h, 11)}{b62(mix(h), 11)}{b62(mix(h ^ 1), 11)}"
            # Retired devices never got a push (messages() skips them).
            gone = NULL if active else ts(min(w.clock.now, created + DAY + h % (90 * DAY)))
            yield f"{uid(TAG_DEVICE, dev)}\t{cu.id}\t{token}\t{platform}\t{ts(created + (h >> 40) % (4 * MINUTE))}\t{gone}\n"


def t_orders(w):
    for st in w.stories():
        i = st.i
        if st.owner >= 0:
            cu = w.customer(st.owner)
            customer, email, ph, name = cu.id, cu.email, cu.phone, cu.name
            # Key accounts ship to their stores; people mostly ship home.
            if cu.key_account:
                h = mix(i ^ 0xADD8)
                place = address(st.country, h)
                ship_name = f"{cu.name} #{100 + h % 400}"
            else:
                h = cu.home if mix(i ^ 0x4043) % 10 < 8 else mix(i ^ 0xADD8)
                place = address(st.country, h)
                ship_name = name
        else:
            customer = NULL
            email, ph, name = w.guest_contact(i)
            place = address(st.country, mix(i ^ 0xADD8))
            ship_name = name
        city, region, code, line1, line2, _ = place
        last = st.steps[-1]
        eta = ts(st.created + 3 * DAY + mix(i ^ 0xE7A) % (4 * DAY))
        tracking_code = b62(mix(i ^ 0x7C0DE))
        yield (f"{st.id}\tSO-{i + 1:08d}\t{customer}\t{email}\t{ph}\t{name}\t{st.locale}\t{last[1]}\t{ship_name}\t"
               f"{line1}\t{line2}\t{city}\t{region}\t{code}\t{st.country}\t{eta}\t{len(st.steps)}\t"
               f"{ts(st.created)}\t{ts(last[3])}\t{tracking_code}\n")


def t_order_status_history(w):
    for st in w.stories():
        hid = st.hist_id
        oid = st.id
        for prev, to, at, recorded, source, actor, note in st.steps:
            yield f"{hid}\t{oid}\t{prev or NULL}\t{to}\t{source}\t{actor}\t{note}\t{ts(at)}\t{ts(recorded)}\n"
            hid += 1


def parcels(w):
    for st in w.stories():
        if st.sidx is not None:
            yield st, w.scans(st)


def t_shipments(w):
    now = w.clock.now
    for st, scans in parcels(w):
        created = next(s[2] for s in st.steps if s[1] == S)
        applied = [e for e in scans if e[7]]
        if applied:
            status, detail, _, _, _, last_at, _, _ = applied[-1]
            last = ts(last_at)
            updated = max(e[6] for e in scans)
        else:
            status, detail, last, updated = "pre_transit", None, NULL, created
        final = status in ("delivered", "return_to_sender", "cancelled")
        delivered = last if status == "delivered" else NULL
        h = mix(st.sidx ^ 0x5419)
        eta = ts(created + 2 * DAY + h % (4 * DAY))
        next_poll = ts(updated if final else min(updated + 4 * HOUR, now + 4 * HOUR))
        yield (f"{uid(TAG_SHIPMENT, st.sidx)}\t{st.id}\t{st.carrier}\t{tracking_number(st.carrier, st.sidx)}\t"
               f"{status}\t{ts(created)}\t{ts(updated)}\t{detail or NULL}\t{eta}\t{last}\t{NULL}\t{delivered}\t"
               f"{next_poll}\t0\t{NULL}\n")


def t_tracking_events(w):
    eid = 1
    for st, scans in parcels(w):
        sid = uid(TAG_SHIPMENT, st.sidx)
        for status, detail, code, text, location, at, recorded, applied in scans:
            # raw: the NormalizedEvent as serde writes it (carriers::tracking::apply_update).
            jdetail = f'"{detail}"' if detail else "null"
            jlocation = f'"{location}"' if location else "null"
            raw = (f'{{"status": "{status}", "detail": {jdetail}, "carrier_code": "{code}", "description": "{text}", '
                   f'"location": {jlocation}, "occurred_at": "{iso(at)}"}}')
            yield (f"{eid}\t{sid}\t{status}\t{detail or NULL}\t{code}\t{text}\t{location or NULL}\t{ts(at)}\t"
                   f"{ts(recorded)}\tpoll\t{NULL}\t{'t' if applied else 'f'}\t{raw}\n")
            eid += 1


def outbox(w):
    """Every message with its counter, id and delivery, in load order."""
    nidx = 0
    for st in w.stories():
        for m in w.messages(st):
            nid = uid(TAG_NOTIFICATION, nidx)
            yield st, m, nidx, nid, delivery(nidx, m[1], nid, m[6])
            nidx += 1


def t_notifications(w):
    for st, (event, channel, recipient, cu, device, occasion, created), nidx, nid, sent in outbox(w):
        attempts, status, done_ms, error = sent
        queue = "notifications-critical" if event in CRITICAL else "notifications"
        done = ts(done_ms)
        sent_at = done if status == "sent" else NULL
        delivery_status, delivered_at = NULL, NULL
        if channel == "sms" and status == "sent" and nidx % 20:  # Twilio's status callback came
            delivery_status, delivered_at = "delivered", ts(done_ms + 3000 + nidx % 17000)
        # NewNotification::for_order's dedupe key: order, event, channel, recipient, occasion.
        yield (f"{nid}\t{st.id}\t{event}\t{channel}\t{recipient}\t{st.locale}\t{queue}\t{status}\t{len(attempts)}\t"
               f"{ts(attempts[-1][1])}\t{NULL}\t{error}\t{attempts[-1][4]}\t"
               f"{st.id}:{event}:{channel}:{recipient}:{occasion}\t{ts(created)}\t{done}\t{sent_at}\t"
               f"{cu.id if cu else NULL}\t{device}\t{{}}\t0\t{delivery_status}\t{delivered_at}\n")


def t_notification_attempts(w):
    aid = 1
    for _, (_, channel, *_), _, nid, sent in outbox(w):
        for k, (outcome, start, ms, error, pid) in enumerate(sent[0], start=1):
            yield f"{aid}\t{nid}\t{k}\t{outcome}\t{PROVIDER[channel]}\t{pid}\t{error}\t{ts(start)}\t{ms}\n"
            aid += 1


TABLES = {
    "customers": ("id, external_id, email, phone, name, locale, created_at, updated_at, phone_verified_at",
                  t_customers),
    "notification_preferences": ("customer_id, locale, time_zone, quiet_hours_start, quiet_hours_end, channels, "
                                 "updated_at", t_notification_preferences),
    "device_tokens": ("id, customer_id, token, platform, created_at, invalidated_at", t_device_tokens),
    "orders": ("id, order_number, customer_id, contact_email, contact_phone, contact_name, locale, status, "
               "ship_name, ship_line1, ship_line2, ship_city, ship_region, ship_postal_code, ship_country, "
               "estimated_delivery_at, version, created_at, updated_at, tracking_code", t_orders),
    "order_status_history": ("id, order_id, from_status, to_status, source, actor, note, occurred_at, recorded_at",
                             t_order_status_history),
    "shipments": ("id, order_id, carrier, tracking_number, tracking_status, created_at, updated_at, "
                  "tracking_detail, estimated_delivery_at, last_event_at, last_webhook_at, delivered_at, "
                  "next_poll_at, poll_failures, rescheduled_to", t_shipments),
    "tracking_events": ("id, shipment_id, status, detail, carrier_code, description, location, occurred_at, "
                        "recorded_at, source, receipt_id, applied, raw", t_tracking_events),
    "notifications": ("id, order_id, event, channel, recipient, locale, queue, status, attempts, next_attempt_at, "
                      "locked_until, last_error, provider_message_id, dedupe_key, created_at, updated_at, sent_at, "
                      "customer_id, device_token_id, payload, replay_base_attempts, delivery_status, delivered_at",
                      t_notifications),
    "notification_attempts": ("id, notification_id, attempt, outcome, provider, provider_message_id, error, "
                              "started_at, duration_ms", t_notification_attempts),
}


def copy(table, world, freeze, out):
    """A psql script: COPY ... FROM STDIN, the rows, the end marker."""
    columns, rows = TABLES[table]
    out.write(f"COPY {table} ({columns}) FROM STDIN{' WITH (FREEZE)' if freeze else ''};\n")
    batch = []
    for row in rows(world):
        batch.append(row)
        if len(batch) >= 5000:
            out.write("".join(batch))
            batch.clear()
    out.write("".join(batch))
    out.write("\\.\n")


def facts(world, out):
    """What the benchmarks look for: the key accounts and the long timelines."""
    counts = {}
    for c in world.owners:
        if 0 <= c < len(KEY_ACCOUNTS):
            counts[c] = counts.get(c, 0) + 1
    for c, (external_id, name, *_) in enumerate(KEY_ACCOUNTS):
        out.write(f"key account {external_id} ({name}): customer {uid(TAG_CUSTOMER, c)}, "
                  f"{counts.get(c, 0)} orders\n")
    for i in world.heavy_orders:
        out.write(f"long timeline SO-{i + 1:08d}: order {uid(TAG_ORDER, i)}, {HEAVY_SCANS} carrier events, "
                  f"{4 + 3 * HEAVY_CYCLES + 2} status changes\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("command", choices=["copy", "facts"])
    ap.add_argument("table", nargs="?", choices=list(TABLES))
    ap.add_argument("--orders", type=int, default=1_000_000)
    ap.add_argument("--as-of", type=datetime.date.fromisoformat, default=datetime.datetime.now(
        datetime.timezone.utc).date())
    ap.add_argument("--freeze", action="store_true", help="COPY ... WITH (FREEZE): the table was just truncated")
    args = ap.parse_args()
    if args.orders < 100:
        ap.error("--orders must be at least 100")
    world = World(args.orders, args.as_of)
    out = open(sys.stdout.fileno(), "w", encoding="utf-8", buffering=1 << 20, closefd=False)
    if args.command == "facts":
        facts(world, out)
    else:
        if not args.table:
            ap.error("copy needs a table")
        copy(args.table, world, args.freeze, out)
    out.flush()


if __name__ == "__main__":
    main()
