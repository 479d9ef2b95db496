// Compile-time only: the generated schema's views must still fit the shapes
// the app reads (src/common/api/types.ts). `npm run typecheck` fails on drift.
import type { components } from '@/api/schema'
import type * as T from './types'

type S = components['schemas']
type Fits<A, B> = [A] extends [B] ? true : false
type Assert<X extends true> = X

export type SchemaFits = [
  Assert<Fits<S['OrderView'], T.OrderView>>,
  Assert<Fits<S['OrderPage'], T.OrderPage>>,
  Assert<Fits<S['ShipmentView'], T.ShipmentView>>,
  Assert<Fits<S['TimelineEntry'], T.TimelineEntry>>,
  Assert<Fits<S['TrackingView'], T.TrackingView>>,
  Assert<Fits<S['AvailableActions'], T.AvailableActions>>,
  Assert<Fits<S['CustomerRequestView'], T.CustomerRequestView>>,
  Assert<Fits<S['PhoneCodeSent'], T.PhoneCodeSent>>,
  Assert<Fits<S['DeviceView'], T.DeviceView>>,
  Assert<Fits<S['OrderStatus'], T.OrderStatus>>,
]
