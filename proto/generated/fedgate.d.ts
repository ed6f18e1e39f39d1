import * as $protobuf from "protobufjs";
import Long = require("long");

/** Namespace fedgate. */
export namespace fedgate {

    /** Namespace v1. */
    namespace v1 {

        /**
         * Properties of a RegisterRequest.
         * @deprecated Use fedgate.v1.RegisterRequest.$Properties instead.
         */
        interface IRegisterRequest extends fedgate.v1.RegisterRequest.$Properties {
        }

        /** Represents a RegisterRequest. */
        class RegisterRequest {

            /**
             * Constructs a new RegisterRequest.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedgate.v1.RegisterRequest.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** RegisterRequest token. */
            token: string;

            /** RegisterRequest clusterName. */
            clusterName: string;

            /** RegisterRequest csrPem. */
            csrPem: string;

            /** RegisterRequest labels. */
            labels: { [k: string]: string };

            /** RegisterRequest region. */
            region: string;

            /** RegisterRequest zone. */
            zone: string;

            /** RegisterRequest externalAddresses. */
            externalAddresses: string[];

            /** RegisterRequest apiEndpoint. */
            apiEndpoint: string;

            /** RegisterRequest apiCaBundle. */
            apiCaBundle: string;

            /**
             * Creates a new RegisterRequest instance using the specified properties.
             * @param [properties] Properties to set
             * @returns RegisterRequest instance
             */
            static create(properties: fedgate.v1.RegisterRequest.$Shape): fedgate.v1.RegisterRequest & fedgate.v1.RegisterRequest.$Shape;
            static create(properties?: fedgate.v1.RegisterRequest.$Properties): fedgate.v1.RegisterRequest;

            /**
             * Encodes the specified RegisterRequest message. Does not implicitly {@link fedgate.v1.RegisterRequest.verify|verify} messages.
             * @param message RegisterRequest message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fedgate.v1.RegisterRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a RegisterRequest message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fedgate.v1.RegisterRequest & fedgate.v1.RegisterRequest.$Shape} RegisterRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedgate.v1.RegisterRequest & fedgate.v1.RegisterRequest.$Shape;

            /**
             * Gets the type url for RegisterRequest
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace RegisterRequest {

            /** Properties of a RegisterRequest. */
            interface $Properties {

                /** RegisterRequest token */
                token?: (string|null);

                /** RegisterRequest clusterName */
                clusterName?: (string|null);

                /** RegisterRequest csrPem */
                csrPem?: (string|null);

                /** RegisterRequest labels */
                labels?: ({ [k: string]: string }|null);

                /** RegisterRequest region */
                region?: (string|null);

                /** RegisterRequest zone */
                zone?: (string|null);

                /** RegisterRequest externalAddresses */
                externalAddresses?: (string[]|null);

                /** RegisterRequest apiEndpoint */
                apiEndpoint?: (string|null);

                /** RegisterRequest apiCaBundle */
                apiCaBundle?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a RegisterRequest. */
            type $Shape = fedgate.v1.RegisterRequest.$Properties;
        }

        /**
         * Properties of a RegisterResponse.
         * @deprecated Use fedgate.v1.RegisterResponse.$Properties instead.
         */
        interface IRegisterResponse extends fedgate.v1.RegisterResponse.$Properties {
        }

        /** Represents a RegisterResponse. */
        class RegisterResponse {

            /**
             * Constructs a new RegisterResponse.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedgate.v1.RegisterResponse.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** RegisterResponse certificatePem. */
            certificatePem: string;

            /** RegisterResponse caPem. */
            caPem: string;

            /** RegisterResponse clusterName. */
            clusterName: string;

            /** RegisterResponse memberAddress. */
            memberAddress: string;

            /**
             * Creates a new RegisterResponse instance using the specified properties.
             * @param [properties] Properties to set
             * @returns RegisterResponse instance
             */
            static create(properties: fedgate.v1.RegisterResponse.$Shape): fedgate.v1.RegisterResponse & fedgate.v1.RegisterResponse.$Shape;
            static create(properties?: fedgate.v1.RegisterResponse.$Properties): fedgate.v1.RegisterResponse;

            /**
             * Encodes the specified RegisterResponse message. Does not implicitly {@link fedgate.v1.RegisterResponse.verify|verify} messages.
             * @param message RegisterResponse message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fedgate.v1.RegisterResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a RegisterResponse message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fedgate.v1.RegisterResponse & fedgate.v1.RegisterResponse.$Shape} RegisterResponse
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedgate.v1.RegisterResponse & fedgate.v1.RegisterResponse.$Shape;

            /**
             * Gets the type url for RegisterResponse
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace RegisterResponse {

            /** Properties of a RegisterResponse. */
            interface $Properties {

                /** RegisterResponse certificatePem */
                certificatePem?: (string|null);

                /** RegisterResponse caPem */
                caPem?: (string|null);

                /** RegisterResponse clusterName */
                clusterName?: (string|null);

                /** RegisterResponse memberAddress */
                memberAddress?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a RegisterResponse. */
            type $Shape = fedgate.v1.RegisterResponse.$Properties;
        }

        /**
         * Properties of a RenewRequest.
         * @deprecated Use fedgate.v1.RenewRequest.$Properties instead.
         */
        interface IRenewRequest extends fedgate.v1.RenewRequest.$Properties {
        }

        /** Represents a RenewRequest. */
        class RenewRequest {

            /**
             * Constructs a new RenewRequest.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedgate.v1.RenewRequest.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** RenewRequest csrPem. */
            csrPem: string;

            /**
             * Creates a new RenewRequest instance using the specified properties.
             * @param [properties] Properties to set
             * @returns RenewRequest instance
             */
            static create(properties: fedgate.v1.RenewRequest.$Shape): fedgate.v1.RenewRequest & fedgate.v1.RenewRequest.$Shape;
            static create(properties?: fedgate.v1.RenewRequest.$Properties): fedgate.v1.RenewRequest;

            /**
             * Encodes the specified RenewRequest message. Does not implicitly {@link fedgate.v1.RenewRequest.verify|verify} messages.
             * @param message RenewRequest message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fedgate.v1.RenewRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a RenewRequest message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fedgate.v1.RenewRequest & fedgate.v1.RenewRequest.$Shape} RenewRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedgate.v1.RenewRequest & fedgate.v1.RenewRequest.$Shape;

            /**
             * Gets the type url for RenewRequest
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace RenewRequest {

            /** Properties of a RenewRequest. */
            interface $Properties {

                /** RenewRequest csrPem */
                csrPem?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a RenewRequest. */
            type $Shape = fedgate.v1.RenewRequest.$Properties;
        }

        /**
         * Properties of a RenewResponse.
         * @deprecated Use fedgate.v1.RenewResponse.$Properties instead.
         */
        interface IRenewResponse extends fedgate.v1.RenewResponse.$Properties {
        }

        /** Represents a RenewResponse. */
        class RenewResponse {

            /**
             * Constructs a new RenewResponse.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedgate.v1.RenewResponse.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** RenewResponse certificatePem. */
            certificatePem: string;

            /** RenewResponse caPem. */
            caPem: string;

            /**
             * Creates a new RenewResponse instance using the specified properties.
             * @param [properties] Properties to set
             * @returns RenewResponse instance
             */
            static create(properties: fedgate.v1.RenewResponse.$Shape): fedgate.v1.RenewResponse & fedgate.v1.RenewResponse.$Shape;
            static create(properties?: fedgate.v1.RenewResponse.$Properties): fedgate.v1.RenewResponse;

            /**
             * Encodes the specified RenewResponse message. Does not implicitly {@link fedgate.v1.RenewResponse.verify|verify} messages.
             * @param message RenewResponse message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fedgate.v1.RenewResponse.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a RenewResponse message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fedgate.v1.RenewResponse & fedgate.v1.RenewResponse.$Shape} RenewResponse
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedgate.v1.RenewResponse & fedgate.v1.RenewResponse.$Shape;

            /**
             * Gets the type url for RenewResponse
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace RenewResponse {

            /** Properties of a RenewResponse. */
            interface $Properties {

                /** RenewResponse certificatePem */
                certificatePem?: (string|null);

                /** RenewResponse caPem */
                caPem?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a RenewResponse. */
            type $Shape = fedgate.v1.RenewResponse.$Properties;
        }

        /**
         * Properties of an ObjectRef.
         * @deprecated Use fedgate.v1.ObjectRef.$Properties instead.
         */
        interface IObjectRef extends fedgate.v1.ObjectRef.$Properties {
        }

        /** Represents an ObjectRef. */
        class ObjectRef {

            /**
             * Constructs a new ObjectRef.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedgate.v1.ObjectRef.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** ObjectRef apiVersion. */
            apiVersion: string;

            /** ObjectRef kind. */
            kind: string;

            /** ObjectRef namespace. */
            namespace: string;

            /** ObjectRef name. */
            name: string;

            /**
             * Creates a new ObjectRef instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ObjectRef instance
             */
            static create(properties: fedgate.v1.ObjectRef.$Shape): fedgate.v1.ObjectRef & fedgate.v1.ObjectRef.$Shape;
            static create(properties?: fedgate.v1.ObjectRef.$Properties): fedgate.v1.ObjectRef;

            /**
             * Encodes the specified ObjectRef message. Does not implicitly {@link fedgate.v1.ObjectRef.verify|verify} messages.
             * @param message ObjectRef message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fedgate.v1.ObjectRef.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an ObjectRef message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fedgate.v1.ObjectRef & fedgate.v1.ObjectRef.$Shape} ObjectRef
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedgate.v1.ObjectRef & fedgate.v1.ObjectRef.$Shape;

            /**
             * Gets the type url for ObjectRef
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace ObjectRef {

            /** Properties of an ObjectRef. */
            interface $Properties {

                /** ObjectRef apiVersion */
                apiVersion?: (string|null);

                /** ObjectRef kind */
                kind?: (string|null);

                /** ObjectRef namespace */
                namespace?: (string|null);

                /** ObjectRef name */
                name?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of an ObjectRef. */
            type $Shape = fedgate.v1.ObjectRef.$Properties;
        }

        /**
         * Properties of a GatewayMessage.
         * @deprecated Use fedgate.v1.GatewayMessage.$Properties instead.
         */
        interface IGatewayMessage extends fedgate.v1.GatewayMessage.$Properties {
        }

        /** Represents a GatewayMessage. */
        class GatewayMessage {

            /**
             * Constructs a new GatewayMessage.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedgate.v1.GatewayMessage.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** GatewayMessage syncStart. */
            syncStart?: (fedgate.v1.SyncStart.$Properties|null);

            /** GatewayMessage apply. */
            apply?: (fedgate.v1.Apply.$Properties|null);

            /** GatewayMessage delete. */
            delete?: (fedgate.v1.Delete.$Properties|null);

            /** GatewayMessage syncEnd. */
            syncEnd?: (fedgate.v1.SyncEnd.$Properties|null);

            /** GatewayMessage ping. */
            ping?: (fedgate.v1.Ping.$Properties|null);

            /** GatewayMessage body. */
            body?: ("syncStart"|"apply"|"delete"|"syncEnd"|"ping");

            /**
             * Creates a new GatewayMessage instance using the specified properties.
             * @param [properties] Properties to set
             * @returns GatewayMessage instance
             */
            static create(properties: fedgate.v1.GatewayMessage.$Shape): fedgate.v1.GatewayMessage & fedgate.v1.GatewayMessage.$Shape;
            static create(properties?: fedgate.v1.GatewayMessage.$Properties): fedgate.v1.GatewayMessage;

            /**
             * Encodes the specified GatewayMessage message. Does not implicitly {@link fedgate.v1.GatewayMessage.verify|verify} messages.
             * @param message GatewayMessage message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fedgate.v1.GatewayMessage.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a GatewayMessage message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fedgate.v1.GatewayMessage & fedgate.v1.GatewayMessage.$Shape} GatewayMessage
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedgate.v1.GatewayMessage & fedgate.v1.GatewayMessage.$Shape;

            /**
             * Gets the type url for GatewayMessage
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace GatewayMessage {

            /** Properties of a GatewayMessage. */
            interface $Properties {

                /** GatewayMessage syncStart */
                syncStart?: (fedgate.v1.SyncStart.$Properties|null);

                /** GatewayMessage apply */
                apply?: (fedgate.v1.Apply.$Properties|null);

                /** GatewayMessage delete */
                "delete"?: (fedgate.v1.Delete.$Properties|null);

                /** GatewayMessage syncEnd */
                syncEnd?: (fedgate.v1.SyncEnd.$Properties|null);

                /** GatewayMessage ping */
                ping?: (fedgate.v1.Ping.$Properties|null);

                /** GatewayMessage body */
                body?: ("syncStart"|"apply"|"delete"|"syncEnd"|"ping");

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Narrowed shape of a GatewayMessage. */
            type $Shape = {
              syncStart?: fedgate.v1.SyncStart.$Shape|null;
              apply?: fedgate.v1.Apply.$Shape|null;
              "delete"?: fedgate.v1.Delete.$Shape|null;
              syncEnd?: fedgate.v1.SyncEnd.$Shape|null;
              ping?: fedgate.v1.Ping.$Shape|null;
              $unknowns?: Uint8Array[];
            } & (
              ({ body?: undefined; syncStart?: null; apply?: null; "delete"?: null; syncEnd?: null; ping?: null }|{ body?: "syncStart"; syncStart: fedgate.v1.SyncStart.$Shape; apply?: null; "delete"?: null; syncEnd?: null; ping?: null }|{ body?: "apply"; syncStart?: null; apply: fedgate.v1.Apply.$Shape; "delete"?: null; syncEnd?: null; ping?: null }|{ body?: "delete"; syncStart?: null; apply?: null; "delete": fedgate.v1.Delete.$Shape; syncEnd?: null; ping?: null }|{ body?: "syncEnd"; syncStart?: null; apply?: null; "delete"?: null; syncEnd: fedgate.v1.SyncEnd.$Shape; ping?: null }|{ body?: "ping"; syncStart?: null; apply?: null; "delete"?: null; syncEnd?: null; ping: fedgate.v1.Ping.$Shape })
            );
        }

        /**
         * Properties of a SyncStart.
         * @deprecated Use fedgate.v1.SyncStart.$Properties instead.
         */
        interface ISyncStart extends fedgate.v1.SyncStart.$Properties {
        }

        /** Represents a SyncStart. */
        class SyncStart {

            /**
             * Constructs a new SyncStart.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedgate.v1.SyncStart.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** SyncStart epoch. */
            epoch: number;

            /**
             * Creates a new SyncStart instance using the specified properties.
             * @param [properties] Properties to set
             * @returns SyncStart instance
             */
            static create(properties: fedgate.v1.SyncStart.$Shape): fedgate.v1.SyncStart & fedgate.v1.SyncStart.$Shape;
            static create(properties?: fedgate.v1.SyncStart.$Properties): fedgate.v1.SyncStart;

            /**
             * Encodes the specified SyncStart message. Does not implicitly {@link fedgate.v1.SyncStart.verify|verify} messages.
             * @param message SyncStart message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fedgate.v1.SyncStart.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a SyncStart message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fedgate.v1.SyncStart & fedgate.v1.SyncStart.$Shape} SyncStart
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedgate.v1.SyncStart & fedgate.v1.SyncStart.$Shape;

            /**
             * Gets the type url for SyncStart
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace SyncStart {

            /** Properties of a SyncStart. */
            interface $Properties {

                /** SyncStart epoch */
                epoch?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a SyncStart. */
            type $Shape = fedgate.v1.SyncStart.$Properties;
        }

        /**
         * Properties of an Apply.
         * @deprecated Use fedgate.v1.Apply.$Properties instead.
         */
        interface IApply extends fedgate.v1.Apply.$Properties {
        }

        /** Represents an Apply. */
        class Apply {

            /**
             * Constructs a new Apply.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedgate.v1.Apply.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Apply seq. */
            seq: number;

            /** Apply object. */
            object: Uint8Array;

            /** Apply overwrite. */
            overwrite: boolean;

            /**
             * Creates a new Apply instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Apply instance
             */
            static create(properties: fedgate.v1.Apply.$Shape): fedgate.v1.Apply & fedgate.v1.Apply.$Shape;
            static create(properties?: fedgate.v1.Apply.$Properties): fedgate.v1.Apply;

            /**
             * Encodes the specified Apply message. Does not implicitly {@link fedgate.v1.Apply.verify|verify} messages.
             * @param message Apply message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fedgate.v1.Apply.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an Apply message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fedgate.v1.Apply & fedgate.v1.Apply.$Shape} Apply
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedgate.v1.Apply & fedgate.v1.Apply.$Shape;

            /**
             * Gets the type url for Apply
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace Apply {

            /** Properties of an Apply. */
            interface $Properties {

                /** Apply seq */
                seq?: (number|null);

                /** Apply object */
                object?: (Uint8Array|null);

                /** Apply overwrite */
                overwrite?: (boolean|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of an Apply. */
            type $Shape = fedgate.v1.Apply.$Properties;
        }

        /**
         * Properties of a Delete.
         * @deprecated Use fedgate.v1.Delete.$Properties instead.
         */
        interface IDelete extends fedgate.v1.Delete.$Properties {
        }

        /** Represents a Delete. */
        class Delete {

            /**
             * Constructs a new Delete.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedgate.v1.Delete.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Delete seq. */
            seq: number;

            /** Delete ref. */
            ref?: (fedgate.v1.ObjectRef.$Properties|null);

            /** Delete orphan. */
            orphan: boolean;

            /**
             * Creates a new Delete instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Delete instance
             */
            static create(properties: fedgate.v1.Delete.$Shape): fedgate.v1.Delete & fedgate.v1.Delete.$Shape;
            static create(properties?: fedgate.v1.Delete.$Properties): fedgate.v1.Delete;

            /**
             * Encodes the specified Delete message. Does not implicitly {@link fedgate.v1.Delete.verify|verify} messages.
             * @param message Delete message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fedgate.v1.Delete.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Delete message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fedgate.v1.Delete & fedgate.v1.Delete.$Shape} Delete
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedgate.v1.Delete & fedgate.v1.Delete.$Shape;

            /**
             * Gets the type url for Delete
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace Delete {

            /** Properties of a Delete. */
            interface $Properties {

                /** Delete seq */
                seq?: (number|null);

                /** Delete ref */
                ref?: (fedgate.v1.ObjectRef.$Properties|null);

                /** Delete orphan */
                orphan?: (boolean|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Delete. */
            type $Shape = fedgate.v1.Delete.$Properties;
        }

        /**
         * Properties of a SyncEnd.
         * @deprecated Use fedgate.v1.SyncEnd.$Properties instead.
         */
        interface ISyncEnd extends fedgate.v1.SyncEnd.$Properties {
        }

        /** Represents a SyncEnd. */
        class SyncEnd {

            /**
             * Constructs a new SyncEnd.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedgate.v1.SyncEnd.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** SyncEnd epoch. */
            epoch: number;

            /**
             * Creates a new SyncEnd instance using the specified properties.
             * @param [properties] Properties to set
             * @returns SyncEnd instance
             */
            static create(properties: fedgate.v1.SyncEnd.$Shape): fedgate.v1.SyncEnd & fedgate.v1.SyncEnd.$Shape;
            static create(properties?: fedgate.v1.SyncEnd.$Properties): fedgate.v1.SyncEnd;

            /**
             * Encodes the specified SyncEnd message. Does not implicitly {@link fedgate.v1.SyncEnd.verify|verify} messages.
             * @param message SyncEnd message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fedgate.v1.SyncEnd.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a SyncEnd message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fedgate.v1.SyncEnd & fedgate.v1.SyncEnd.$Shape} SyncEnd
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedgate.v1.SyncEnd & fedgate.v1.SyncEnd.$Shape;

            /**
             * Gets the type url for SyncEnd
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace SyncEnd {

            /** Properties of a SyncEnd. */
            interface $Properties {

                /** SyncEnd epoch */
                epoch?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a SyncEnd. */
            type $Shape = fedgate.v1.SyncEnd.$Properties;
        }

        /**
         * Properties of a Ping.
         * @deprecated Use fedgate.v1.Ping.$Properties instead.
         */
        interface IPing extends fedgate.v1.Ping.$Properties {
        }

        /** Represents a Ping. */
        class Ping {

            /**
             * Constructs a new Ping.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedgate.v1.Ping.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Ping sentUnixMs. */
            sentUnixMs: number;

            /**
             * Creates a new Ping instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Ping instance
             */
            static create(properties: fedgate.v1.Ping.$Shape): fedgate.v1.Ping & fedgate.v1.Ping.$Shape;
            static create(properties?: fedgate.v1.Ping.$Properties): fedgate.v1.Ping;

            /**
             * Encodes the specified Ping message. Does not implicitly {@link fedgate.v1.Ping.verify|verify} messages.
             * @param message Ping message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fedgate.v1.Ping.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Ping message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fedgate.v1.Ping & fedgate.v1.Ping.$Shape} Ping
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedgate.v1.Ping & fedgate.v1.Ping.$Shape;

            /**
             * Gets the type url for Ping
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace Ping {

            /** Properties of a Ping. */
            interface $Properties {

                /** Ping sentUnixMs */
                sentUnixMs?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Ping. */
            type $Shape = fedgate.v1.Ping.$Properties;
        }

        /**
         * Properties of a MemberMessage.
         * @deprecated Use fedgate.v1.MemberMessage.$Properties instead.
         */
        interface IMemberMessage extends fedgate.v1.MemberMessage.$Properties {
        }

        /** Represents a MemberMessage. */
        class MemberMessage {

            /**
             * Constructs a new MemberMessage.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedgate.v1.MemberMessage.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** MemberMessage hello. */
            hello?: (fedgate.v1.Hello.$Properties|null);

            /** MemberMessage ack. */
            ack?: (fedgate.v1.Ack.$Properties|null);

            /** MemberMessage status. */
            status?: (fedgate.v1.Status.$Properties|null);

            /** MemberMessage heartbeat. */
            heartbeat?: (fedgate.v1.Heartbeat.$Properties|null);

            /** MemberMessage pong. */
            pong?: (fedgate.v1.Pong.$Properties|null);

            /** MemberMessage body. */
            body?: ("hello"|"ack"|"status"|"heartbeat"|"pong");

            /**
             * Creates a new MemberMessage instance using the specified properties.
             * @param [properties] Properties to set
             * @returns MemberMessage instance
             */
            static create(properties: fedgate.v1.MemberMessage.$Shape): fedgate.v1.MemberMessage & fedgate.v1.MemberMessage.$Shape;
            static create(properties?: fedgate.v1.MemberMessage.$Properties): fedgate.v1.MemberMessage;

            /**
             * Encodes the specified MemberMessage message. Does not implicitly {@link fedgate.v1.MemberMessage.verify|verify} messages.
             * @param message MemberMessage message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fedgate.v1.MemberMessage.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a MemberMessage message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fedgate.v1.MemberMessage & fedgate.v1.MemberMessage.$Shape} MemberMessage
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedgate.v1.MemberMessage & fedgate.v1.MemberMessage.$Shape;

            /**
             * Gets the type url for MemberMessage
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace MemberMessage {

            /** Properties of a MemberMessage. */
            interface $Properties {

                /** MemberMessage hello */
                hello?: (fedgate.v1.Hello.$Properties|null);

                /** MemberMessage ack */
                ack?: (fedgate.v1.Ack.$Properties|null);

                /** MemberMessage status */
                status?: (fedgate.v1.Status.$Properties|null);

                /** MemberMessage heartbeat */
                heartbeat?: (fedgate.v1.Heartbeat.$Properties|null);

                /** MemberMessage pong */
                pong?: (fedgate.v1.Pong.$Properties|null);

                /** MemberMessage body */
                body?: ("hello"|"ack"|"status"|"heartbeat"|"pong");

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Narrowed shape of a MemberMessage. */
            type $Shape = {
              hello?: fedgate.v1.Hello.$Shape|null;
              ack?: fedgate.v1.Ack.$Shape|null;
              status?: fedgate.v1.Status.$Shape|null;
              heartbeat?: fedgate.v1.Heartbeat.$Shape|null;
              pong?: fedgate.v1.Pong.$Shape|null;
              $unknowns?: Uint8Array[];
            } & (
              ({ body?: undefined; hello?: null; ack?: null; status?: null; heartbeat?: null; pong?: null }|{ body?: "hello"; hello: fedgate.v1.Hello.$Shape; ack?: null; status?: null; heartbeat?: null; pong?: null }|{ body?: "ack"; hello?: null; ack: fedgate.v1.Ack.$Shape; status?: null; heartbeat?: null; pong?: null }|{ body?: "status"; hello?: null; ack?: null; status: fedgate.v1.Status.$Shape; heartbeat?: null; pong?: null }|{ body?: "heartbeat"; hello?: null; ack?: null; status?: null; heartbeat: fedgate.v1.Heartbeat.$Shape; pong?: null }|{ body?: "pong"; hello?: null; ack?: null; status?: null; heartbeat?: null; pong: fedgate.v1.Pong.$Shape })
            );
        }

        /**
         * Properties of a Hello.
         * @deprecated Use fedgate.v1.Hello.$Properties instead.
         */
        interface IHello extends fedgate.v1.Hello.$Properties {
        }

        /** Represents a Hello. */
        class Hello {

            /**
             * Constructs a new Hello.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedgate.v1.Hello.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Hello clusterName. */
            clusterName: string;

            /** Hello lastAppliedSeq. */
            lastAppliedSeq: number;

            /** Hello version. */
            version: string;

            /** Hello apiEndpoint. */
            apiEndpoint: string;

            /** Hello apiCaBundle. */
            apiCaBundle: string;

            /**
             * Creates a new Hello instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Hello instance
             */
            static create(properties: fedgate.v1.Hello.$Shape): fedgate.v1.Hello & fedgate.v1.Hello.$Shape;
            static create(properties?: fedgate.v1.Hello.$Properties): fedgate.v1.Hello;

            /**
             * Encodes the specified Hello message. Does not implicitly {@link fedgate.v1.Hello.verify|verify} messages.
             * @param message Hello message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fedgate.v1.Hello.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Hello message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fedgate.v1.Hello & fedgate.v1.Hello.$Shape} Hello
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedgate.v1.Hello & fedgate.v1.Hello.$Shape;

            /**
             * Gets the type url for Hello
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace Hello {

            /** Properties of a Hello. */
            interface $Properties {

                /** Hello clusterName */
                clusterName?: (string|null);

                /** Hello lastAppliedSeq */
                lastAppliedSeq?: (number|null);

                /** Hello version */
                version?: (string|null);

                /** Hello apiEndpoint */
                apiEndpoint?: (string|null);

                /** Hello apiCaBundle */
                apiCaBundle?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Hello. */
            type $Shape = fedgate.v1.Hello.$Properties;
        }

        /**
         * Properties of an Ack.
         * @deprecated Use fedgate.v1.Ack.$Properties instead.
         */
        interface IAck extends fedgate.v1.Ack.$Properties {
        }

        /** Represents an Ack. */
        class Ack {

            /**
             * Constructs a new Ack.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedgate.v1.Ack.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Ack seq. */
            seq: number;

            /** Ack ref. */
            ref?: (fedgate.v1.ObjectRef.$Properties|null);

            /** Ack observedGeneration. */
            observedGeneration: number;

            /** Ack error. */
            error: string;

            /** Ack reason. */
            reason: string;

            /**
             * Creates a new Ack instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Ack instance
             */
            static create(properties: fedgate.v1.Ack.$Shape): fedgate.v1.Ack & fedgate.v1.Ack.$Shape;
            static create(properties?: fedgate.v1.Ack.$Properties): fedgate.v1.Ack;

            /**
             * Encodes the specified Ack message. Does not implicitly {@link fedgate.v1.Ack.verify|verify} messages.
             * @param message Ack message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fedgate.v1.Ack.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an Ack message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fedgate.v1.Ack & fedgate.v1.Ack.$Shape} Ack
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedgate.v1.Ack & fedgate.v1.Ack.$Shape;

            /**
             * Gets the type url for Ack
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace Ack {

            /** Properties of an Ack. */
            interface $Properties {

                /** Ack seq */
                seq?: (number|null);

                /** Ack ref */
                ref?: (fedgate.v1.ObjectRef.$Properties|null);

                /** Ack observedGeneration */
                observedGeneration?: (number|null);

                /** Ack error */
                error?: (string|null);

                /** Ack reason */
                reason?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of an Ack. */
            type $Shape = fedgate.v1.Ack.$Properties;
        }

        /**
         * Properties of a Status.
         * @deprecated Use fedgate.v1.Status.$Properties instead.
         */
        interface IStatus extends fedgate.v1.Status.$Properties {
        }

        /** Represents a Status. */
        class Status {

            /**
             * Constructs a new Status.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedgate.v1.Status.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Status ref. */
            ref?: (fedgate.v1.ObjectRef.$Properties|null);

            /** Status status. */
            status: Uint8Array;

            /** Status generation. */
            generation: number;

            /** Status observedGeneration. */
            observedGeneration: number;

            /**
             * Creates a new Status instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Status instance
             */
            static create(properties: fedgate.v1.Status.$Shape): fedgate.v1.Status & fedgate.v1.Status.$Shape;
            static create(properties?: fedgate.v1.Status.$Properties): fedgate.v1.Status;

            /**
             * Encodes the specified Status message. Does not implicitly {@link fedgate.v1.Status.verify|verify} messages.
             * @param message Status message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fedgate.v1.Status.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Status message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fedgate.v1.Status & fedgate.v1.Status.$Shape} Status
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedgate.v1.Status & fedgate.v1.Status.$Shape;

            /**
             * Gets the type url for Status
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace Status {

            /** Properties of a Status. */
            interface $Properties {

                /** Status ref */
                ref?: (fedgate.v1.ObjectRef.$Properties|null);

                /** Status status */
                status?: (Uint8Array|null);

                /** Status generation */
                generation?: (number|null);

                /** Status observedGeneration */
                observedGeneration?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Status. */
            type $Shape = fedgate.v1.Status.$Properties;
        }

        /**
         * Properties of a ServiceHealth.
         * @deprecated Use fedgate.v1.ServiceHealth.$Properties instead.
         */
        interface IServiceHealth extends fedgate.v1.ServiceHealth.$Properties {
        }

        /** Represents a ServiceHealth. */
        class ServiceHealth {

            /**
             * Constructs a new ServiceHealth.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedgate.v1.ServiceHealth.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** ServiceHealth namespace. */
            namespace: string;

            /** ServiceHealth name. */
            name: string;

            /** ServiceHealth readyEndpoints. */
            readyEndpoints: number;

            /** ServiceHealth totalEndpoints. */
            totalEndpoints: number;

            /**
             * Creates a new ServiceHealth instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ServiceHealth instance
             */
            static create(properties: fedgate.v1.ServiceHealth.$Shape): fedgate.v1.ServiceHealth & fedgate.v1.ServiceHealth.$Shape;
            static create(properties?: fedgate.v1.ServiceHealth.$Properties): fedgate.v1.ServiceHealth;

            /**
             * Encodes the specified ServiceHealth message. Does not implicitly {@link fedgate.v1.ServiceHealth.verify|verify} messages.
             * @param message ServiceHealth message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fedgate.v1.ServiceHealth.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ServiceHealth message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fedgate.v1.ServiceHealth & fedgate.v1.ServiceHealth.$Shape} ServiceHealth
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedgate.v1.ServiceHealth & fedgate.v1.ServiceHealth.$Shape;

            /**
             * Gets the type url for ServiceHealth
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace ServiceHealth {

            /** Properties of a ServiceHealth. */
            interface $Properties {

                /** ServiceHealth namespace */
                namespace?: (string|null);

                /** ServiceHealth name */
                name?: (string|null);

                /** ServiceHealth readyEndpoints */
                readyEndpoints?: (number|null);

                /** ServiceHealth totalEndpoints */
                totalEndpoints?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a ServiceHealth. */
            type $Shape = fedgate.v1.ServiceHealth.$Properties;
        }

        /**
         * Properties of a NodeResources.
         * @deprecated Use fedgate.v1.NodeResources.$Properties instead.
         */
        interface INodeResources extends fedgate.v1.NodeResources.$Properties {
        }

        /** Represents a NodeResources. */
        class NodeResources {

            /**
             * Constructs a new NodeResources.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedgate.v1.NodeResources.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** NodeResources name. */
            name: string;

            /** NodeResources allocatable. */
            allocatable: { [k: string]: string };

            /** NodeResources free. */
            free: { [k: string]: string };

            /** NodeResources ready. */
            ready: boolean;

            /**
             * Creates a new NodeResources instance using the specified properties.
             * @param [properties] Properties to set
             * @returns NodeResources instance
             */
            static create(properties: fedgate.v1.NodeResources.$Shape): fedgate.v1.NodeResources & fedgate.v1.NodeResources.$Shape;
            static create(properties?: fedgate.v1.NodeResources.$Properties): fedgate.v1.NodeResources;

            /**
             * Encodes the specified NodeResources message. Does not implicitly {@link fedgate.v1.NodeResources.verify|verify} messages.
             * @param message NodeResources message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fedgate.v1.NodeResources.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a NodeResources message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fedgate.v1.NodeResources & fedgate.v1.NodeResources.$Shape} NodeResources
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedgate.v1.NodeResources & fedgate.v1.NodeResources.$Shape;

            /**
             * Gets the type url for NodeResources
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace NodeResources {

            /** Properties of a NodeResources. */
            interface $Properties {

                /** NodeResources name */
                name?: (string|null);

                /** NodeResources allocatable */
                allocatable?: ({ [k: string]: string }|null);

                /** NodeResources free */
                free?: ({ [k: string]: string }|null);

                /** NodeResources ready */
                ready?: (boolean|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a NodeResources. */
            type $Shape = fedgate.v1.NodeResources.$Properties;
        }

        /**
         * Properties of a Heartbeat.
         * @deprecated Use fedgate.v1.Heartbeat.$Properties instead.
         */
        interface IHeartbeat extends fedgate.v1.Heartbeat.$Properties {
        }

        /** Represents a Heartbeat. */
        class Heartbeat {

            /**
             * Constructs a new Heartbeat.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedgate.v1.Heartbeat.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Heartbeat sentUnixMs. */
            sentUnixMs: number;

            /** Heartbeat capacity. */
            capacity: { [k: string]: string };

            /** Heartbeat allocatable. */
            allocatable: { [k: string]: string };

            /** Heartbeat available. */
            available: { [k: string]: string };

            /** Heartbeat nodesReady. */
            nodesReady: number;

            /** Heartbeat nodesTotal. */
            nodesTotal: number;

            /** Heartbeat services. */
            services: fedgate.v1.ServiceHealth.$Properties[];

            /** Heartbeat nodes. */
            nodes: fedgate.v1.NodeResources.$Properties[];

            /**
             * Creates a new Heartbeat instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Heartbeat instance
             */
            static create(properties: fedgate.v1.Heartbeat.$Shape): fedgate.v1.Heartbeat & fedgate.v1.Heartbeat.$Shape;
            static create(properties?: fedgate.v1.Heartbeat.$Properties): fedgate.v1.Heartbeat;

            /**
             * Encodes the specified Heartbeat message. Does not implicitly {@link fedgate.v1.Heartbeat.verify|verify} messages.
             * @param message Heartbeat message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fedgate.v1.Heartbeat.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Heartbeat message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fedgate.v1.Heartbeat & fedgate.v1.Heartbeat.$Shape} Heartbeat
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedgate.v1.Heartbeat & fedgate.v1.Heartbeat.$Shape;

            /**
             * Gets the type url for Heartbeat
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace Heartbeat {

            /** Properties of a Heartbeat. */
            interface $Properties {

                /** Heartbeat sentUnixMs */
                sentUnixMs?: (number|null);

                /** Heartbeat capacity */
                capacity?: ({ [k: string]: string }|null);

                /** Heartbeat allocatable */
                allocatable?: ({ [k: string]: string }|null);

                /** Heartbeat available */
                available?: ({ [k: string]: string }|null);

                /** Heartbeat nodesReady */
                nodesReady?: (number|null);

                /** Heartbeat nodesTotal */
                nodesTotal?: (number|null);

                /** Heartbeat services */
                services?: (fedgate.v1.ServiceHealth.$Properties[]|null);

                /** Heartbeat nodes */
                nodes?: (fedgate.v1.NodeResources.$Properties[]|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Heartbeat. */
            type $Shape = fedgate.v1.Heartbeat.$Properties;
        }

        /**
         * Properties of a Pong.
         * @deprecated Use fedgate.v1.Pong.$Properties instead.
         */
        interface IPong extends fedgate.v1.Pong.$Properties {
        }

        /** Represents a Pong. */
        class Pong {

            /**
             * Constructs a new Pong.
             * @param [properties] Properties to set
             */
            constructor(properties?: fedgate.v1.Pong.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Pong pingSentUnixMs. */
            pingSentUnixMs: number;

            /**
             * Creates a new Pong instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Pong instance
             */
            static create(properties: fedgate.v1.Pong.$Shape): fedgate.v1.Pong & fedgate.v1.Pong.$Shape;
            static create(properties?: fedgate.v1.Pong.$Properties): fedgate.v1.Pong;

            /**
             * Encodes the specified Pong message. Does not implicitly {@link fedgate.v1.Pong.verify|verify} messages.
             * @param message Pong message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: fedgate.v1.Pong.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Pong message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {fedgate.v1.Pong & fedgate.v1.Pong.$Shape} Pong
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): fedgate.v1.Pong & fedgate.v1.Pong.$Shape;

            /**
             * Gets the type url for Pong
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace Pong {

            /** Properties of a Pong. */
            interface $Properties {

                /** Pong pingSentUnixMs */
                pingSentUnixMs?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Pong. */
            type $Shape = fedgate.v1.Pong.$Properties;
        }
    }
}
