/**
 * Wrapping helpers: a `VehicleAction` oneof member becomes `CarServer.Action` bytes for the
 * Infotainment domain, a `VCSEC.UnsignedMessage` sub-message becomes VCSEC bytes.
 *
 * Mirrors `executeCarServerAction` (vehicle-command pkg/vehicle/infotainment.go) and
 * `executeRKEAction` / `executeClosureAction` / `getVCSECInfo` (pkg/vehicle/vcsec.go).
 * {@link infotainmentExt} does the same for the actions of our extension module
 * (`proto-ext/car_server_ext.proto`), which Tesla's public protos do not define.
 *
 * @module
 */
import { create, type MessageInitShape, toBinary } from '@bufbuild/protobuf';
import { ActionSchema, type VehicleActionSchema } from '../gen/car_server_pb.js';
import { UnsignedMessageSchema } from '../gen/vcsec_pb.js';
import { ActionExtSchema, type VehicleActionExtSchema } from '../gen-ext/car_server_ext_pb.js';
import { type Command, DOMAIN_INFOTAINMENT, DOMAIN_VCSEC } from './types.js';

/** A `VehicleAction.vehicleActionMsg` oneof member, as an init shape (`{ case, value }`). */
export type VehicleActionMsg = NonNullable<
  MessageInitShape<typeof VehicleActionSchema>['vehicleActionMsg']
>;

/** A `VehicleActionExt.vehicle_action_msg` oneof member (`proto-ext/car_server_ext.proto`). */
export type VehicleActionExtMsg = NonNullable<
  MessageInitShape<typeof VehicleActionExtSchema>['vehicleActionMsg']
>;

/** A `VCSEC.UnsignedMessage.sub_message` oneof member, as an init shape. */
export type VcsecSubMessage = NonNullable<
  MessageInitShape<typeof UnsignedMessageSchema>['subMessage']
>;

/** `Action{ vehicleAction{ <msg> } }` bytes for the Infotainment domain (3). */
export function infotainment(msg: VehicleActionMsg): Command {
  const action = create(ActionSchema, {
    actionMsg: { case: 'vehicleAction', value: { vehicleActionMsg: msg } },
  });
  return { domain: DOMAIN_INFOTAINMENT, payload: toBinary(ActionSchema, action) };
}

/**
 * `Action{ vehicleAction{ <msg> } }` bytes for an action of the extension module. `ActionExt`
 * and `VehicleActionExt` reuse the field numbers of `CarServer.Action` (2) and
 * `CarServer.VehicleAction`, so these bytes are a `CarServer.Action` whose `VehicleAction`
 * carries one field the public protos do not name (proto-ext/README.md).
 */
export function infotainmentExt(msg: VehicleActionExtMsg): Command {
  const action = create(ActionExtSchema, {
    actionMsg: { case: 'vehicleAction', value: { vehicleActionMsg: msg } },
  });
  return { domain: DOMAIN_INFOTAINMENT, payload: toBinary(ActionExtSchema, action) };
}

/** `UnsignedMessage{ <sub_message> }` bytes for the VCSEC domain (2), sent signed. */
export function vcsec(msg: VcsecSubMessage): Command {
  const message = create(UnsignedMessageSchema, { subMessage: msg });
  return { domain: DOMAIN_VCSEC, payload: toBinary(UnsignedMessageSchema, message) };
}

/** Like {@link vcsec}, marked for sending without a signature (VCSEC information requests). */
export function vcsecUnsigned(msg: VcsecSubMessage): Command {
  return { ...vcsec(msg), unsigned: true };
}
