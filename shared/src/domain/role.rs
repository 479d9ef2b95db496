use crate::text_enum;

text_enum! {
    /// Who is calling: a shopper, customer-service staff, an administrator,
    /// a trusted system (storefront, integration), or an analyst (analytics
    /// and exports, read-only).
    Role ("role") {
        Customer => "customer",
        Csr => "csr",
        Admin => "admin",
        Service => "service",
        Analyst => "analyst",
    }
}

impl Role {
    /// Staff and systems act on any order; customers only on their own.
    /// (Analysts read no order: only roll-ups and exports.)
    pub fn sees_all_orders(self) -> bool {
        matches!(self, Role::Csr | Role::Admin | Role::Service)
    }
}
