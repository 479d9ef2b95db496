use crate::text_enum;

text_enum! {
    /// Who is calling: a shopper, customer-service staff, an administrator, or
    /// a trusted system (storefront, integration).
    Role ("role") {
        Customer => "customer",
        Csr => "csr",
        Admin => "admin",
        Service => "service",
    }
}

impl Role {
    /// Staff and systems act on any order; customers only on their own.
    pub fn sees_all_orders(self) -> bool {
        !matches!(self, Role::Customer)
    }
}
