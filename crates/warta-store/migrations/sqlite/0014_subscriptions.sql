-- The provider's subscription behind a renewing membership (Stripe: sub_...), so renewal
-- invoices and cancellations find the reader.
ALTER TABLE memberships ADD COLUMN provider_ref TEXT;
