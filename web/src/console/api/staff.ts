// Staff accounts: sign-in, password, TOTP, and the admin's staff and
// sessions pages, over the typed client (generated schema). A 401 from the
// session and password calls is part of their contract (wrong password,
// TOTP needed, used link): session.ts keeps it from counting as "expired".
import type { components } from '@/api/schema'
import { client } from '@/common/api/client'
import { unwrap } from '@/common/api/http'

type S = components['schemas']
export type StaffSession = S['StaffSessionView']
export type StaffUser = S['StaffUserView']
/** Who can sign in to the console; an analyst reads analytics and exports only. */
export type StaffRole = 'csr' | 'admin' | 'analyst'
export type SignInBody = S['StaffSignIn']
export type CreatedStaff = S['StaffCreated']
export type StaffSessionItem = S['StaffSessionRow']
export type TotpEnrolment = S['TotpEnrolment']
export type PasswordLink = S['PasswordLink']
export type ConsoleRequest = S['CustomerRequestView'] & {
  /** Shown when the backend adds it; else a short order id is shown. */
  order_number?: string | null
}

export const signIn = (body: SignInBody) => unwrap<StaffSession>(client.POST('/api/v1/staff/session', { body }))
export const readStaffSession = () => unwrap<StaffSession>(client.GET('/api/v1/staff/session'))
export const endStaffSession = () => unwrap<void>(client.DELETE('/api/v1/staff/session'))
export const setPassword = (token: string, password: string) =>
  unwrap<void>(client.POST('/api/v1/staff/password', { body: { token, password } }))
export const startTotp = () => unwrap<TotpEnrolment>(client.POST('/api/v1/staff/totp'))
export const confirmTotp = (code: string) => unwrap<void>(client.POST('/api/v1/staff/totp/confirm', { body: { code } }))

export async function listStaff(): Promise<StaffUser[]> {
  return (await unwrap<S['StaffList']>(client.GET('/api/v1/admin/staff'))).staff
}
export const createStaff = (body: { email: string; name: string; role: StaffRole }) =>
  unwrap<CreatedStaff>(client.POST('/api/v1/admin/staff', { body }))
export const disableStaff = (id: string) =>
  unwrap<StaffUser>(client.POST('/api/v1/admin/staff/{id}/disable', { params: { path: { id } } }))
export const newPasswordLink = (id: string) =>
  unwrap<PasswordLink>(client.POST('/api/v1/admin/staff/{id}/password-link', { params: { path: { id } } }))
export async function listStaffSessions(): Promise<StaffSessionItem[]> {
  return (await unwrap<S['StaffSessionList']>(client.GET('/api/v1/admin/staff-sessions'))).sessions
}
export const endStaffSessionById = (id: string) =>
  unwrap<void>(client.DELETE('/api/v1/admin/staff-sessions/{id}', { params: { path: { id } } }))
export const claimRequest = (id: string) =>
  unwrap<ConsoleRequest>(client.POST('/api/v1/requests/{id}/claim', { params: { path: { id } } }))
