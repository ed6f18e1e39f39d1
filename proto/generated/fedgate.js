/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-mixed-operators, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars, default-case, jsdoc/require-param*/
import $protobuf from "protobufjs/minimal.js";

// Common aliases
const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;
const $Object = $util.global.Object, $undefined = $util.global.undefined, $Error = $util.global.Error, $RangeError = $util.global.RangeError;

// Exported root namespace
const $root = $protobuf.roots["default"] || ($protobuf.roots["default"] = {});

export const fedgate = $root.fedgate = (() => {

    /**
     * Namespace fedgate.
     * @exports fedgate
     * @namespace
     */
    const fedgate = {};

    fedgate.v1 = (function() {

        /**
         * Namespace v1.
         * @memberof fedgate
         * @namespace
         */
        const v1 = {};

        v1.RegisterRequest = (function() {

            /**
             * Properties of a RegisterRequest.
             * @typedef {Object} fedgate.v1.RegisterRequest.$Properties
             * @property {string|null} [token] RegisterRequest token
             * @property {string|null} [clusterName] RegisterRequest clusterName
             * @property {string|null} [csrPem] RegisterRequest csrPem
             * @property {Object.<string,string>|null} [labels] RegisterRequest labels
             * @property {string|null} [region] RegisterRequest region
             * @property {string|null} [zone] RegisterRequest zone
             * @property {Array.<string>|null} [externalAddresses] RegisterRequest externalAddresses
             * @property {string|null} [apiEndpoint] RegisterRequest apiEndpoint
             * @property {string|null} [apiCaBundle] RegisterRequest apiCaBundle
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a RegisterRequest.
             * @memberof fedgate.v1
             * @interface IRegisterRequest
             * @augments fedgate.v1.RegisterRequest.$Properties
             * @deprecated Use fedgate.v1.RegisterRequest.$Properties instead.
             */

            /**
             * Shape of a RegisterRequest.
             * @typedef {fedgate.v1.RegisterRequest.$Properties} fedgate.v1.RegisterRequest.$Shape
             */

            /**
             * Constructs a new RegisterRequest.
             * @memberof fedgate.v1
             * @classdesc Represents a RegisterRequest.
             * @constructor
             * @param {fedgate.v1.RegisterRequest.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const RegisterRequest = function (properties) {
                this.labels = {};
                this.externalAddresses = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * RegisterRequest token.
             * @member {string} token
             * @memberof fedgate.v1.RegisterRequest
             * @instance
             */
            RegisterRequest.prototype.token = "";

            /**
             * RegisterRequest clusterName.
             * @member {string} clusterName
             * @memberof fedgate.v1.RegisterRequest
             * @instance
             */
            RegisterRequest.prototype.clusterName = "";

            /**
             * RegisterRequest csrPem.
             * @member {string} csrPem
             * @memberof fedgate.v1.RegisterRequest
             * @instance
             */
            RegisterRequest.prototype.csrPem = "";

            /**
             * RegisterRequest labels.
             * @member {Object.<string,string>} labels
             * @memberof fedgate.v1.RegisterRequest
             * @instance
             */
            RegisterRequest.prototype.labels = $util.emptyObject;

            /**
             * RegisterRequest region.
             * @member {string} region
             * @memberof fedgate.v1.RegisterRequest
             * @instance
             */
            RegisterRequest.prototype.region = "";

            /**
             * RegisterRequest zone.
             * @member {string} zone
             * @memberof fedgate.v1.RegisterRequest
             * @instance
             */
            RegisterRequest.prototype.zone = "";

            /**
             * RegisterRequest externalAddresses.
             * @member {Array.<string>} externalAddresses
             * @memberof fedgate.v1.RegisterRequest
             * @instance
             */
            RegisterRequest.prototype.externalAddresses = $util.emptyArray;

            /**
             * RegisterRequest apiEndpoint.
             * @member {string} apiEndpoint
             * @memberof fedgate.v1.RegisterRequest
             * @instance
             */
            RegisterRequest.prototype.apiEndpoint = "";

            /**
             * RegisterRequest apiCaBundle.
             * @member {string} apiCaBundle
             * @memberof fedgate.v1.RegisterRequest
             * @instance
             */
            RegisterRequest.prototype.apiCaBundle = "";

            /**
             * Creates a new RegisterRequest instance using the specified properties.
             * @function create
             * @memberof fedgate.v1.RegisterRequest
             * @static
             * @param {fedgate.v1.RegisterRequest.$Properties=} [properties] Properties to set
             * @returns {fedgate.v1.RegisterRequest} RegisterRequest instance
             * @type {{
             *   (properties: fedgate.v1.RegisterRequest.$Shape): fedgate.v1.RegisterRequest & fedgate.v1.RegisterRequest.$Shape;
             *   (properties?: fedgate.v1.RegisterRequest.$Properties): fedgate.v1.RegisterRequest;
             * }}
             */
            RegisterRequest.create = function(properties) {
                return new RegisterRequest(properties);
            };

            /**
             * Encodes the specified RegisterRequest message. Does not implicitly {@link fedgate.v1.RegisterRequest.verify|verify} messages.
             * @function encode
             * @memberof fedgate.v1.RegisterRequest
             * @static
             * @param {fedgate.v1.RegisterRequest.$Properties} message RegisterRequest message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            RegisterRequest.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.token != null && $Object.hasOwnProperty.call(message, "token") && message.token !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.token);
                if (message.clusterName != null && $Object.hasOwnProperty.call(message, "clusterName") && message.clusterName !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.clusterName);
                if (message.csrPem != null && $Object.hasOwnProperty.call(message, "csrPem") && message.csrPem !== "")
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.csrPem);
                if (message.labels != null && $Object.hasOwnProperty.call(message, "labels"))
                    for (let keys = $Object.keys(message.labels), i = 0; i < keys.length; ++i)
                        writer.uint32(/* id 4, wireType 2 =*/34).fork().uint32(/* id 1, wireType 2 =*/10).string(keys[i]).uint32(/* id 2, wireType 2 =*/18).string(message.labels[keys[i]]).ldelim();
                if (message.region != null && $Object.hasOwnProperty.call(message, "region") && message.region !== "")
                    writer.uint32(/* id 5, wireType 2 =*/42).string(message.region);
                if (message.zone != null && $Object.hasOwnProperty.call(message, "zone") && message.zone !== "")
                    writer.uint32(/* id 6, wireType 2 =*/50).string(message.zone);
                if (message.externalAddresses != null && message.externalAddresses.length)
                    for (let i = 0; i < message.externalAddresses.length; ++i)
                        writer.uint32(/* id 7, wireType 2 =*/58).string(message.externalAddresses[i]);
                if (message.apiEndpoint != null && $Object.hasOwnProperty.call(message, "apiEndpoint") && message.apiEndpoint !== "")
                    writer.uint32(/* id 8, wireType 2 =*/66).string(message.apiEndpoint);
                if (message.apiCaBundle != null && $Object.hasOwnProperty.call(message, "apiCaBundle") && message.apiCaBundle !== "")
                    writer.uint32(/* id 9, wireType 2 =*/74).string(message.apiCaBundle);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a RegisterRequest message from the specified reader or buffer.
             * @function decode
             * @memberof fedgate.v1.RegisterRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedgate.v1.RegisterRequest & fedgate.v1.RegisterRequest.$Shape} RegisterRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            RegisterRequest.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, key, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fedgate.v1.RegisterRequest();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.token = value;
                            else
                                delete message.token;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.clusterName = value;
                            else
                                delete message.clusterName;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.csrPem = value;
                            else
                                delete message.csrPem;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if (message.labels === $util.emptyObject)
                                message.labels = {};
                            let end2 = reader.size() + reader.pos;
                            if (end2 > reader.len)
                                throw $RangeError("index out of range");
                            reader.len = end2;
                            key = "";
                            value = "";
                            while (reader.pos < end2) {
                                let tag2 = reader.tag();
                                wireType = tag2 & 7;
                                switch (tag2 >>>= 3) {
                                case 1:
                                    if (wireType !== 2)
                                        break;
                                    key = reader.stringVerify();
                                    continue;
                                case 2:
                                    if (wireType !== 2)
                                        break;
                                    value = reader.stringVerify();
                                    continue;
                                }
                                reader.skipType(wireType, _depth, tag2);
                            }
                            if (reader.pos !== end2)
                                throw $RangeError("index out of range");
                            reader.len = end;
                            if (key === "__proto__")
                                $util.makeProp(message.labels, key);
                            message.labels[key] = value;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.region = value;
                            else
                                delete message.region;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.zone = value;
                            else
                                delete message.zone;
                            continue;
                        }
                    case 7: {
                            if (wireType !== 2)
                                break;
                            if (!(message.externalAddresses && message.externalAddresses.length))
                                message.externalAddresses = [];
                            message.externalAddresses.push(reader.stringVerify());
                            continue;
                        }
                    case 8: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.apiEndpoint = value;
                            else
                                delete message.apiEndpoint;
                            continue;
                        }
                    case 9: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.apiCaBundle = value;
                            else
                                delete message.apiCaBundle;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Gets the type url for RegisterRequest
             * @function getTypeUrl
             * @memberof fedgate.v1.RegisterRequest
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            RegisterRequest.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/fedgate.v1.RegisterRequest";
            };

            return RegisterRequest;
        })();

        v1.RegisterResponse = (function() {

            /**
             * Properties of a RegisterResponse.
             * @typedef {Object} fedgate.v1.RegisterResponse.$Properties
             * @property {string|null} [certificatePem] RegisterResponse certificatePem
             * @property {string|null} [caPem] RegisterResponse caPem
             * @property {string|null} [clusterName] RegisterResponse clusterName
             * @property {string|null} [memberAddress] RegisterResponse memberAddress
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a RegisterResponse.
             * @memberof fedgate.v1
             * @interface IRegisterResponse
             * @augments fedgate.v1.RegisterResponse.$Properties
             * @deprecated Use fedgate.v1.RegisterResponse.$Properties instead.
             */

            /**
             * Shape of a RegisterResponse.
             * @typedef {fedgate.v1.RegisterResponse.$Properties} fedgate.v1.RegisterResponse.$Shape
             */

            /**
             * Constructs a new RegisterResponse.
             * @memberof fedgate.v1
             * @classdesc Represents a RegisterResponse.
             * @constructor
             * @param {fedgate.v1.RegisterResponse.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const RegisterResponse = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * RegisterResponse certificatePem.
             * @member {string} certificatePem
             * @memberof fedgate.v1.RegisterResponse
             * @instance
             */
            RegisterResponse.prototype.certificatePem = "";

            /**
             * RegisterResponse caPem.
             * @member {string} caPem
             * @memberof fedgate.v1.RegisterResponse
             * @instance
             */
            RegisterResponse.prototype.caPem = "";

            /**
             * RegisterResponse clusterName.
             * @member {string} clusterName
             * @memberof fedgate.v1.RegisterResponse
             * @instance
             */
            RegisterResponse.prototype.clusterName = "";

            /**
             * RegisterResponse memberAddress.
             * @member {string} memberAddress
             * @memberof fedgate.v1.RegisterResponse
             * @instance
             */
            RegisterResponse.prototype.memberAddress = "";

            /**
             * Creates a new RegisterResponse instance using the specified properties.
             * @function create
             * @memberof fedgate.v1.RegisterResponse
             * @static
             * @param {fedgate.v1.RegisterResponse.$Properties=} [properties] Properties to set
             * @returns {fedgate.v1.RegisterResponse} RegisterResponse instance
             * @type {{
             *   (properties: fedgate.v1.RegisterResponse.$Shape): fedgate.v1.RegisterResponse & fedgate.v1.RegisterResponse.$Shape;
             *   (properties?: fedgate.v1.RegisterResponse.$Properties): fedgate.v1.RegisterResponse;
             * }}
             */
            RegisterResponse.create = function(properties) {
                return new RegisterResponse(properties);
            };

            /**
             * Encodes the specified RegisterResponse message. Does not implicitly {@link fedgate.v1.RegisterResponse.verify|verify} messages.
             * @function encode
             * @memberof fedgate.v1.RegisterResponse
             * @static
             * @param {fedgate.v1.RegisterResponse.$Properties} message RegisterResponse message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            RegisterResponse.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.certificatePem != null && $Object.hasOwnProperty.call(message, "certificatePem") && message.certificatePem !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.certificatePem);
                if (message.caPem != null && $Object.hasOwnProperty.call(message, "caPem") && message.caPem !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.caPem);
                if (message.clusterName != null && $Object.hasOwnProperty.call(message, "clusterName") && message.clusterName !== "")
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.clusterName);
                if (message.memberAddress != null && $Object.hasOwnProperty.call(message, "memberAddress") && message.memberAddress !== "")
                    writer.uint32(/* id 4, wireType 2 =*/34).string(message.memberAddress);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a RegisterResponse message from the specified reader or buffer.
             * @function decode
             * @memberof fedgate.v1.RegisterResponse
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedgate.v1.RegisterResponse & fedgate.v1.RegisterResponse.$Shape} RegisterResponse
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            RegisterResponse.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fedgate.v1.RegisterResponse();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.certificatePem = value;
                            else
                                delete message.certificatePem;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.caPem = value;
                            else
                                delete message.caPem;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.clusterName = value;
                            else
                                delete message.clusterName;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.memberAddress = value;
                            else
                                delete message.memberAddress;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Gets the type url for RegisterResponse
             * @function getTypeUrl
             * @memberof fedgate.v1.RegisterResponse
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            RegisterResponse.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/fedgate.v1.RegisterResponse";
            };

            return RegisterResponse;
        })();

        v1.RenewRequest = (function() {

            /**
             * Properties of a RenewRequest.
             * @typedef {Object} fedgate.v1.RenewRequest.$Properties
             * @property {string|null} [csrPem] RenewRequest csrPem
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a RenewRequest.
             * @memberof fedgate.v1
             * @interface IRenewRequest
             * @augments fedgate.v1.RenewRequest.$Properties
             * @deprecated Use fedgate.v1.RenewRequest.$Properties instead.
             */

            /**
             * Shape of a RenewRequest.
             * @typedef {fedgate.v1.RenewRequest.$Properties} fedgate.v1.RenewRequest.$Shape
             */

            /**
             * Constructs a new RenewRequest.
             * @memberof fedgate.v1
             * @classdesc Represents a RenewRequest.
             * @constructor
             * @param {fedgate.v1.RenewRequest.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const RenewRequest = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * RenewRequest csrPem.
             * @member {string} csrPem
             * @memberof fedgate.v1.RenewRequest
             * @instance
             */
            RenewRequest.prototype.csrPem = "";

            /**
             * Creates a new RenewRequest instance using the specified properties.
             * @function create
             * @memberof fedgate.v1.RenewRequest
             * @static
             * @param {fedgate.v1.RenewRequest.$Properties=} [properties] Properties to set
             * @returns {fedgate.v1.RenewRequest} RenewRequest instance
             * @type {{
             *   (properties: fedgate.v1.RenewRequest.$Shape): fedgate.v1.RenewRequest & fedgate.v1.RenewRequest.$Shape;
             *   (properties?: fedgate.v1.RenewRequest.$Properties): fedgate.v1.RenewRequest;
             * }}
             */
            RenewRequest.create = function(properties) {
                return new RenewRequest(properties);
            };

            /**
             * Encodes the specified RenewRequest message. Does not implicitly {@link fedgate.v1.RenewRequest.verify|verify} messages.
             * @function encode
             * @memberof fedgate.v1.RenewRequest
             * @static
             * @param {fedgate.v1.RenewRequest.$Properties} message RenewRequest message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            RenewRequest.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.csrPem != null && $Object.hasOwnProperty.call(message, "csrPem") && message.csrPem !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.csrPem);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a RenewRequest message from the specified reader or buffer.
             * @function decode
             * @memberof fedgate.v1.RenewRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedgate.v1.RenewRequest & fedgate.v1.RenewRequest.$Shape} RenewRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            RenewRequest.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fedgate.v1.RenewRequest();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.csrPem = value;
                            else
                                delete message.csrPem;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Gets the type url for RenewRequest
             * @function getTypeUrl
             * @memberof fedgate.v1.RenewRequest
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            RenewRequest.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/fedgate.v1.RenewRequest";
            };

            return RenewRequest;
        })();

        v1.RenewResponse = (function() {

            /**
             * Properties of a RenewResponse.
             * @typedef {Object} fedgate.v1.RenewResponse.$Properties
             * @property {string|null} [certificatePem] RenewResponse certificatePem
             * @property {string|null} [caPem] RenewResponse caPem
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a RenewResponse.
             * @memberof fedgate.v1
             * @interface IRenewResponse
             * @augments fedgate.v1.RenewResponse.$Properties
             * @deprecated Use fedgate.v1.RenewResponse.$Properties instead.
             */

            /**
             * Shape of a RenewResponse.
             * @typedef {fedgate.v1.RenewResponse.$Properties} fedgate.v1.RenewResponse.$Shape
             */

            /**
             * Constructs a new RenewResponse.
             * @memberof fedgate.v1
             * @classdesc Represents a RenewResponse.
             * @constructor
             * @param {fedgate.v1.RenewResponse.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const RenewResponse = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * RenewResponse certificatePem.
             * @member {string} certificatePem
             * @memberof fedgate.v1.RenewResponse
             * @instance
             */
            RenewResponse.prototype.certificatePem = "";

            /**
             * RenewResponse caPem.
             * @member {string} caPem
             * @memberof fedgate.v1.RenewResponse
             * @instance
             */
            RenewResponse.prototype.caPem = "";

            /**
             * Creates a new RenewResponse instance using the specified properties.
             * @function create
             * @memberof fedgate.v1.RenewResponse
             * @static
             * @param {fedgate.v1.RenewResponse.$Properties=} [properties] Properties to set
             * @returns {fedgate.v1.RenewResponse} RenewResponse instance
             * @type {{
             *   (properties: fedgate.v1.RenewResponse.$Shape): fedgate.v1.RenewResponse & fedgate.v1.RenewResponse.$Shape;
             *   (properties?: fedgate.v1.RenewResponse.$Properties): fedgate.v1.RenewResponse;
             * }}
             */
            RenewResponse.create = function(properties) {
                return new RenewResponse(properties);
            };

            /**
             * Encodes the specified RenewResponse message. Does not implicitly {@link fedgate.v1.RenewResponse.verify|verify} messages.
             * @function encode
             * @memberof fedgate.v1.RenewResponse
             * @static
             * @param {fedgate.v1.RenewResponse.$Properties} message RenewResponse message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            RenewResponse.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.certificatePem != null && $Object.hasOwnProperty.call(message, "certificatePem") && message.certificatePem !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.certificatePem);
                if (message.caPem != null && $Object.hasOwnProperty.call(message, "caPem") && message.caPem !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.caPem);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a RenewResponse message from the specified reader or buffer.
             * @function decode
             * @memberof fedgate.v1.RenewResponse
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedgate.v1.RenewResponse & fedgate.v1.RenewResponse.$Shape} RenewResponse
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            RenewResponse.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fedgate.v1.RenewResponse();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.certificatePem = value;
                            else
                                delete message.certificatePem;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.caPem = value;
                            else
                                delete message.caPem;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Gets the type url for RenewResponse
             * @function getTypeUrl
             * @memberof fedgate.v1.RenewResponse
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            RenewResponse.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/fedgate.v1.RenewResponse";
            };

            return RenewResponse;
        })();

        v1.ObjectRef = (function() {

            /**
             * Properties of an ObjectRef.
             * @typedef {Object} fedgate.v1.ObjectRef.$Properties
             * @property {string|null} [apiVersion] ObjectRef apiVersion
             * @property {string|null} [kind] ObjectRef kind
             * @property {string|null} [namespace] ObjectRef namespace
             * @property {string|null} [name] ObjectRef name
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an ObjectRef.
             * @memberof fedgate.v1
             * @interface IObjectRef
             * @augments fedgate.v1.ObjectRef.$Properties
             * @deprecated Use fedgate.v1.ObjectRef.$Properties instead.
             */

            /**
             * Shape of an ObjectRef.
             * @typedef {fedgate.v1.ObjectRef.$Properties} fedgate.v1.ObjectRef.$Shape
             */

            /**
             * Constructs a new ObjectRef.
             * @memberof fedgate.v1
             * @classdesc Represents an ObjectRef.
             * @constructor
             * @param {fedgate.v1.ObjectRef.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ObjectRef = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * ObjectRef apiVersion.
             * @member {string} apiVersion
             * @memberof fedgate.v1.ObjectRef
             * @instance
             */
            ObjectRef.prototype.apiVersion = "";

            /**
             * ObjectRef kind.
             * @member {string} kind
             * @memberof fedgate.v1.ObjectRef
             * @instance
             */
            ObjectRef.prototype.kind = "";

            /**
             * ObjectRef namespace.
             * @member {string} namespace
             * @memberof fedgate.v1.ObjectRef
             * @instance
             */
            ObjectRef.prototype.namespace = "";

            /**
             * ObjectRef name.
             * @member {string} name
             * @memberof fedgate.v1.ObjectRef
             * @instance
             */
            ObjectRef.prototype.name = "";

            /**
             * Creates a new ObjectRef instance using the specified properties.
             * @function create
             * @memberof fedgate.v1.ObjectRef
             * @static
             * @param {fedgate.v1.ObjectRef.$Properties=} [properties] Properties to set
             * @returns {fedgate.v1.ObjectRef} ObjectRef instance
             * @type {{
             *   (properties: fedgate.v1.ObjectRef.$Shape): fedgate.v1.ObjectRef & fedgate.v1.ObjectRef.$Shape;
             *   (properties?: fedgate.v1.ObjectRef.$Properties): fedgate.v1.ObjectRef;
             * }}
             */
            ObjectRef.create = function(properties) {
                return new ObjectRef(properties);
            };

            /**
             * Encodes the specified ObjectRef message. Does not implicitly {@link fedgate.v1.ObjectRef.verify|verify} messages.
             * @function encode
             * @memberof fedgate.v1.ObjectRef
             * @static
             * @param {fedgate.v1.ObjectRef.$Properties} message ObjectRef message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ObjectRef.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.apiVersion != null && $Object.hasOwnProperty.call(message, "apiVersion") && message.apiVersion !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.apiVersion);
                if (message.kind != null && $Object.hasOwnProperty.call(message, "kind") && message.kind !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.kind);
                if (message.namespace != null && $Object.hasOwnProperty.call(message, "namespace") && message.namespace !== "")
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.namespace);
                if (message.name != null && $Object.hasOwnProperty.call(message, "name") && message.name !== "")
                    writer.uint32(/* id 4, wireType 2 =*/34).string(message.name);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes an ObjectRef message from the specified reader or buffer.
             * @function decode
             * @memberof fedgate.v1.ObjectRef
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedgate.v1.ObjectRef & fedgate.v1.ObjectRef.$Shape} ObjectRef
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ObjectRef.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fedgate.v1.ObjectRef();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.apiVersion = value;
                            else
                                delete message.apiVersion;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.kind = value;
                            else
                                delete message.kind;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.namespace = value;
                            else
                                delete message.namespace;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.name = value;
                            else
                                delete message.name;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Gets the type url for ObjectRef
             * @function getTypeUrl
             * @memberof fedgate.v1.ObjectRef
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            ObjectRef.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/fedgate.v1.ObjectRef";
            };

            return ObjectRef;
        })();

        v1.GatewayMessage = (function() {

            /**
             * Properties of a GatewayMessage.
             * @typedef {Object} fedgate.v1.GatewayMessage.$Properties
             * @property {fedgate.v1.SyncStart.$Properties|null} [syncStart] GatewayMessage syncStart
             * @property {fedgate.v1.Apply.$Properties|null} [apply] GatewayMessage apply
             * @property {fedgate.v1.Delete.$Properties|null} ["delete"] GatewayMessage delete
             * @property {fedgate.v1.SyncEnd.$Properties|null} [syncEnd] GatewayMessage syncEnd
             * @property {fedgate.v1.Ping.$Properties|null} [ping] GatewayMessage ping
             * @property {"syncStart"|"apply"|"delete"|"syncEnd"|"ping"} [body] GatewayMessage body
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a GatewayMessage.
             * @memberof fedgate.v1
             * @interface IGatewayMessage
             * @augments fedgate.v1.GatewayMessage.$Properties
             * @deprecated Use fedgate.v1.GatewayMessage.$Properties instead.
             */

            /**
             * Narrowed shape of a GatewayMessage.
             * @typedef {{
             *   syncStart?: fedgate.v1.SyncStart.$Shape|null;
             *   apply?: fedgate.v1.Apply.$Shape|null;
             *   "delete"?: fedgate.v1.Delete.$Shape|null;
             *   syncEnd?: fedgate.v1.SyncEnd.$Shape|null;
             *   ping?: fedgate.v1.Ping.$Shape|null;
             *   $unknowns?: Array.<Uint8Array>;
             * } & (
             *   ({ body?: undefined; syncStart?: null; apply?: null; "delete"?: null; syncEnd?: null; ping?: null }|{ body?: "syncStart"; syncStart: fedgate.v1.SyncStart.$Shape; apply?: null; "delete"?: null; syncEnd?: null; ping?: null }|{ body?: "apply"; syncStart?: null; apply: fedgate.v1.Apply.$Shape; "delete"?: null; syncEnd?: null; ping?: null }|{ body?: "delete"; syncStart?: null; apply?: null; "delete": fedgate.v1.Delete.$Shape; syncEnd?: null; ping?: null }|{ body?: "syncEnd"; syncStart?: null; apply?: null; "delete"?: null; syncEnd: fedgate.v1.SyncEnd.$Shape; ping?: null }|{ body?: "ping"; syncStart?: null; apply?: null; "delete"?: null; syncEnd?: null; ping: fedgate.v1.Ping.$Shape })
             * )} fedgate.v1.GatewayMessage.$Shape
             */

            /**
             * Constructs a new GatewayMessage.
             * @memberof fedgate.v1
             * @classdesc Represents a GatewayMessage.
             * @constructor
             * @param {fedgate.v1.GatewayMessage.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const GatewayMessage = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * GatewayMessage syncStart.
             * @member {fedgate.v1.SyncStart.$Properties|null|undefined} syncStart
             * @memberof fedgate.v1.GatewayMessage
             * @instance
             */
            GatewayMessage.prototype.syncStart = null;

            /**
             * GatewayMessage apply.
             * @member {fedgate.v1.Apply.$Properties|null|undefined} apply
             * @memberof fedgate.v1.GatewayMessage
             * @instance
             */
            GatewayMessage.prototype.apply = null;

            /**
             * GatewayMessage delete.
             * @member {fedgate.v1.Delete.$Properties|null|undefined} delete
             * @memberof fedgate.v1.GatewayMessage
             * @instance
             */
            GatewayMessage.prototype["delete"] = null;

            /**
             * GatewayMessage syncEnd.
             * @member {fedgate.v1.SyncEnd.$Properties|null|undefined} syncEnd
             * @memberof fedgate.v1.GatewayMessage
             * @instance
             */
            GatewayMessage.prototype.syncEnd = null;

            /**
             * GatewayMessage ping.
             * @member {fedgate.v1.Ping.$Properties|null|undefined} ping
             * @memberof fedgate.v1.GatewayMessage
             * @instance
             */
            GatewayMessage.prototype.ping = null;

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            /**
             * GatewayMessage body.
             * @member {"syncStart"|"apply"|"delete"|"syncEnd"|"ping"|undefined} body
             * @memberof fedgate.v1.GatewayMessage
             * @instance
             */
            $Object.defineProperty(GatewayMessage.prototype, "body", {
                get: $util.oneOfGetter($oneOfFields = ["syncStart", "apply", "delete", "syncEnd", "ping"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new GatewayMessage instance using the specified properties.
             * @function create
             * @memberof fedgate.v1.GatewayMessage
             * @static
             * @param {fedgate.v1.GatewayMessage.$Properties=} [properties] Properties to set
             * @returns {fedgate.v1.GatewayMessage} GatewayMessage instance
             * @type {{
             *   (properties: fedgate.v1.GatewayMessage.$Shape): fedgate.v1.GatewayMessage & fedgate.v1.GatewayMessage.$Shape;
             *   (properties?: fedgate.v1.GatewayMessage.$Properties): fedgate.v1.GatewayMessage;
             * }}
             */
            GatewayMessage.create = function(properties) {
                return new GatewayMessage(properties);
            };

            /**
             * Encodes the specified GatewayMessage message. Does not implicitly {@link fedgate.v1.GatewayMessage.verify|verify} messages.
             * @function encode
             * @memberof fedgate.v1.GatewayMessage
             * @static
             * @param {fedgate.v1.GatewayMessage.$Properties} message GatewayMessage message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            GatewayMessage.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.syncStart != null && $Object.hasOwnProperty.call(message, "syncStart"))
                    $root.fedgate.v1.SyncStart.encode(message.syncStart, writer.uint32(/* id 1, wireType 2 =*/10).fork(), _depth + 1).ldelim();
                if (message.apply != null && $Object.hasOwnProperty.call(message, "apply"))
                    $root.fedgate.v1.Apply.encode(message.apply, writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                if (message["delete"] != null && $Object.hasOwnProperty.call(message, "delete"))
                    $root.fedgate.v1.Delete.encode(message["delete"], writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                if (message.syncEnd != null && $Object.hasOwnProperty.call(message, "syncEnd"))
                    $root.fedgate.v1.SyncEnd.encode(message.syncEnd, writer.uint32(/* id 4, wireType 2 =*/34).fork(), _depth + 1).ldelim();
                if (message.ping != null && $Object.hasOwnProperty.call(message, "ping"))
                    $root.fedgate.v1.Ping.encode(message.ping, writer.uint32(/* id 5, wireType 2 =*/42).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a GatewayMessage message from the specified reader or buffer.
             * @function decode
             * @memberof fedgate.v1.GatewayMessage
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedgate.v1.GatewayMessage & fedgate.v1.GatewayMessage.$Shape} GatewayMessage
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            GatewayMessage.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fedgate.v1.GatewayMessage();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            message.syncStart = $root.fedgate.v1.SyncStart.decode(reader, reader.size(), $undefined, _depth + 1, message.syncStart);
                            message.body = "syncStart";
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            message.apply = $root.fedgate.v1.Apply.decode(reader, reader.size(), $undefined, _depth + 1, message.apply);
                            message.body = "apply";
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            message["delete"] = $root.fedgate.v1.Delete.decode(reader, reader.size(), $undefined, _depth + 1, message["delete"]);
                            message.body = "delete";
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            message.syncEnd = $root.fedgate.v1.SyncEnd.decode(reader, reader.size(), $undefined, _depth + 1, message.syncEnd);
                            message.body = "syncEnd";
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            message.ping = $root.fedgate.v1.Ping.decode(reader, reader.size(), $undefined, _depth + 1, message.ping);
                            message.body = "ping";
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Gets the type url for GatewayMessage
             * @function getTypeUrl
             * @memberof fedgate.v1.GatewayMessage
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            GatewayMessage.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/fedgate.v1.GatewayMessage";
            };

            return GatewayMessage;
        })();

        v1.SyncStart = (function() {

            /**
             * Properties of a SyncStart.
             * @typedef {Object} fedgate.v1.SyncStart.$Properties
             * @property {number|null} [epoch] SyncStart epoch
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a SyncStart.
             * @memberof fedgate.v1
             * @interface ISyncStart
             * @augments fedgate.v1.SyncStart.$Properties
             * @deprecated Use fedgate.v1.SyncStart.$Properties instead.
             */

            /**
             * Shape of a SyncStart.
             * @typedef {fedgate.v1.SyncStart.$Properties} fedgate.v1.SyncStart.$Shape
             */

            /**
             * Constructs a new SyncStart.
             * @memberof fedgate.v1
             * @classdesc Represents a SyncStart.
             * @constructor
             * @param {fedgate.v1.SyncStart.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const SyncStart = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * SyncStart epoch.
             * @member {number} epoch
             * @memberof fedgate.v1.SyncStart
             * @instance
             */
            SyncStart.prototype.epoch = 0;

            /**
             * Creates a new SyncStart instance using the specified properties.
             * @function create
             * @memberof fedgate.v1.SyncStart
             * @static
             * @param {fedgate.v1.SyncStart.$Properties=} [properties] Properties to set
             * @returns {fedgate.v1.SyncStart} SyncStart instance
             * @type {{
             *   (properties: fedgate.v1.SyncStart.$Shape): fedgate.v1.SyncStart & fedgate.v1.SyncStart.$Shape;
             *   (properties?: fedgate.v1.SyncStart.$Properties): fedgate.v1.SyncStart;
             * }}
             */
            SyncStart.create = function(properties) {
                return new SyncStart(properties);
            };

            /**
             * Encodes the specified SyncStart message. Does not implicitly {@link fedgate.v1.SyncStart.verify|verify} messages.
             * @function encode
             * @memberof fedgate.v1.SyncStart
             * @static
             * @param {fedgate.v1.SyncStart.$Properties} message SyncStart message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            SyncStart.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.epoch != null && $Object.hasOwnProperty.call(message, "epoch") && message.epoch !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.epoch);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a SyncStart message from the specified reader or buffer.
             * @function decode
             * @memberof fedgate.v1.SyncStart
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedgate.v1.SyncStart & fedgate.v1.SyncStart.$Shape} SyncStart
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            SyncStart.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fedgate.v1.SyncStart();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.epoch = value;
                            else
                                delete message.epoch;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Gets the type url for SyncStart
             * @function getTypeUrl
             * @memberof fedgate.v1.SyncStart
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            SyncStart.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/fedgate.v1.SyncStart";
            };

            return SyncStart;
        })();

        v1.Apply = (function() {

            /**
             * Properties of an Apply.
             * @typedef {Object} fedgate.v1.Apply.$Properties
             * @property {number|null} [seq] Apply seq
             * @property {Uint8Array|null} [object] Apply object
             * @property {boolean|null} [overwrite] Apply overwrite
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an Apply.
             * @memberof fedgate.v1
             * @interface IApply
             * @augments fedgate.v1.Apply.$Properties
             * @deprecated Use fedgate.v1.Apply.$Properties instead.
             */

            /**
             * Shape of an Apply.
             * @typedef {fedgate.v1.Apply.$Properties} fedgate.v1.Apply.$Shape
             */

            /**
             * Constructs a new Apply.
             * @memberof fedgate.v1
             * @classdesc Represents an Apply.
             * @constructor
             * @param {fedgate.v1.Apply.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Apply = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Apply seq.
             * @member {number} seq
             * @memberof fedgate.v1.Apply
             * @instance
             */
            Apply.prototype.seq = 0;

            /**
             * Apply object.
             * @member {Uint8Array} object
             * @memberof fedgate.v1.Apply
             * @instance
             */
            Apply.prototype.object = $util.newBuffer([]);

            /**
             * Apply overwrite.
             * @member {boolean} overwrite
             * @memberof fedgate.v1.Apply
             * @instance
             */
            Apply.prototype.overwrite = false;

            /**
             * Creates a new Apply instance using the specified properties.
             * @function create
             * @memberof fedgate.v1.Apply
             * @static
             * @param {fedgate.v1.Apply.$Properties=} [properties] Properties to set
             * @returns {fedgate.v1.Apply} Apply instance
             * @type {{
             *   (properties: fedgate.v1.Apply.$Shape): fedgate.v1.Apply & fedgate.v1.Apply.$Shape;
             *   (properties?: fedgate.v1.Apply.$Properties): fedgate.v1.Apply;
             * }}
             */
            Apply.create = function(properties) {
                return new Apply(properties);
            };

            /**
             * Encodes the specified Apply message. Does not implicitly {@link fedgate.v1.Apply.verify|verify} messages.
             * @function encode
             * @memberof fedgate.v1.Apply
             * @static
             * @param {fedgate.v1.Apply.$Properties} message Apply message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Apply.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.seq != null && $Object.hasOwnProperty.call(message, "seq") && message.seq !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.seq);
                if (message.object != null && $Object.hasOwnProperty.call(message, "object") && message.object.length)
                    writer.uint32(/* id 2, wireType 2 =*/18).bytes(message.object);
                if (message.overwrite != null && $Object.hasOwnProperty.call(message, "overwrite") && message.overwrite !== false)
                    writer.uint32(/* id 3, wireType 0 =*/24).bool(message.overwrite);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes an Apply message from the specified reader or buffer.
             * @function decode
             * @memberof fedgate.v1.Apply
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedgate.v1.Apply & fedgate.v1.Apply.$Shape} Apply
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Apply.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fedgate.v1.Apply();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.seq = value;
                            else
                                delete message.seq;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.object = value;
                            else
                                delete message.object;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.overwrite = value;
                            else
                                delete message.overwrite;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Gets the type url for Apply
             * @function getTypeUrl
             * @memberof fedgate.v1.Apply
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            Apply.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/fedgate.v1.Apply";
            };

            return Apply;
        })();

        v1.Delete = (function() {

            /**
             * Properties of a Delete.
             * @typedef {Object} fedgate.v1.Delete.$Properties
             * @property {number|null} [seq] Delete seq
             * @property {fedgate.v1.ObjectRef.$Properties|null} [ref] Delete ref
             * @property {boolean|null} [orphan] Delete orphan
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Delete.
             * @memberof fedgate.v1
             * @interface IDelete
             * @augments fedgate.v1.Delete.$Properties
             * @deprecated Use fedgate.v1.Delete.$Properties instead.
             */

            /**
             * Shape of a Delete.
             * @typedef {fedgate.v1.Delete.$Properties} fedgate.v1.Delete.$Shape
             */

            /**
             * Constructs a new Delete.
             * @memberof fedgate.v1
             * @classdesc Represents a Delete.
             * @constructor
             * @param {fedgate.v1.Delete.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Delete = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Delete seq.
             * @member {number} seq
             * @memberof fedgate.v1.Delete
             * @instance
             */
            Delete.prototype.seq = 0;

            /**
             * Delete ref.
             * @member {fedgate.v1.ObjectRef.$Properties|null|undefined} ref
             * @memberof fedgate.v1.Delete
             * @instance
             */
            Delete.prototype.ref = null;

            /**
             * Delete orphan.
             * @member {boolean} orphan
             * @memberof fedgate.v1.Delete
             * @instance
             */
            Delete.prototype.orphan = false;

            /**
             * Creates a new Delete instance using the specified properties.
             * @function create
             * @memberof fedgate.v1.Delete
             * @static
             * @param {fedgate.v1.Delete.$Properties=} [properties] Properties to set
             * @returns {fedgate.v1.Delete} Delete instance
             * @type {{
             *   (properties: fedgate.v1.Delete.$Shape): fedgate.v1.Delete & fedgate.v1.Delete.$Shape;
             *   (properties?: fedgate.v1.Delete.$Properties): fedgate.v1.Delete;
             * }}
             */
            Delete.create = function(properties) {
                return new Delete(properties);
            };

            /**
             * Encodes the specified Delete message. Does not implicitly {@link fedgate.v1.Delete.verify|verify} messages.
             * @function encode
             * @memberof fedgate.v1.Delete
             * @static
             * @param {fedgate.v1.Delete.$Properties} message Delete message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Delete.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.seq != null && $Object.hasOwnProperty.call(message, "seq") && message.seq !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.seq);
                if (message.ref != null && $Object.hasOwnProperty.call(message, "ref"))
                    $root.fedgate.v1.ObjectRef.encode(message.ref, writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                if (message.orphan != null && $Object.hasOwnProperty.call(message, "orphan") && message.orphan !== false)
                    writer.uint32(/* id 3, wireType 0 =*/24).bool(message.orphan);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a Delete message from the specified reader or buffer.
             * @function decode
             * @memberof fedgate.v1.Delete
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedgate.v1.Delete & fedgate.v1.Delete.$Shape} Delete
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Delete.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fedgate.v1.Delete();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.seq = value;
                            else
                                delete message.seq;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            message.ref = $root.fedgate.v1.ObjectRef.decode(reader, reader.size(), $undefined, _depth + 1, message.ref);
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.orphan = value;
                            else
                                delete message.orphan;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Gets the type url for Delete
             * @function getTypeUrl
             * @memberof fedgate.v1.Delete
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            Delete.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/fedgate.v1.Delete";
            };

            return Delete;
        })();

        v1.SyncEnd = (function() {

            /**
             * Properties of a SyncEnd.
             * @typedef {Object} fedgate.v1.SyncEnd.$Properties
             * @property {number|null} [epoch] SyncEnd epoch
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a SyncEnd.
             * @memberof fedgate.v1
             * @interface ISyncEnd
             * @augments fedgate.v1.SyncEnd.$Properties
             * @deprecated Use fedgate.v1.SyncEnd.$Properties instead.
             */

            /**
             * Shape of a SyncEnd.
             * @typedef {fedgate.v1.SyncEnd.$Properties} fedgate.v1.SyncEnd.$Shape
             */

            /**
             * Constructs a new SyncEnd.
             * @memberof fedgate.v1
             * @classdesc Represents a SyncEnd.
             * @constructor
             * @param {fedgate.v1.SyncEnd.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const SyncEnd = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * SyncEnd epoch.
             * @member {number} epoch
             * @memberof fedgate.v1.SyncEnd
             * @instance
             */
            SyncEnd.prototype.epoch = 0;

            /**
             * Creates a new SyncEnd instance using the specified properties.
             * @function create
             * @memberof fedgate.v1.SyncEnd
             * @static
             * @param {fedgate.v1.SyncEnd.$Properties=} [properties] Properties to set
             * @returns {fedgate.v1.SyncEnd} SyncEnd instance
             * @type {{
             *   (properties: fedgate.v1.SyncEnd.$Shape): fedgate.v1.SyncEnd & fedgate.v1.SyncEnd.$Shape;
             *   (properties?: fedgate.v1.SyncEnd.$Properties): fedgate.v1.SyncEnd;
             * }}
             */
            SyncEnd.create = function(properties) {
                return new SyncEnd(properties);
            };

            /**
             * Encodes the specified SyncEnd message. Does not implicitly {@link fedgate.v1.SyncEnd.verify|verify} messages.
             * @function encode
             * @memberof fedgate.v1.SyncEnd
             * @static
             * @param {fedgate.v1.SyncEnd.$Properties} message SyncEnd message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            SyncEnd.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.epoch != null && $Object.hasOwnProperty.call(message, "epoch") && message.epoch !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.epoch);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a SyncEnd message from the specified reader or buffer.
             * @function decode
             * @memberof fedgate.v1.SyncEnd
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedgate.v1.SyncEnd & fedgate.v1.SyncEnd.$Shape} SyncEnd
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            SyncEnd.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fedgate.v1.SyncEnd();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.epoch = value;
                            else
                                delete message.epoch;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Gets the type url for SyncEnd
             * @function getTypeUrl
             * @memberof fedgate.v1.SyncEnd
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            SyncEnd.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/fedgate.v1.SyncEnd";
            };

            return SyncEnd;
        })();

        v1.Ping = (function() {

            /**
             * Properties of a Ping.
             * @typedef {Object} fedgate.v1.Ping.$Properties
             * @property {number|null} [sentUnixMs] Ping sentUnixMs
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Ping.
             * @memberof fedgate.v1
             * @interface IPing
             * @augments fedgate.v1.Ping.$Properties
             * @deprecated Use fedgate.v1.Ping.$Properties instead.
             */

            /**
             * Shape of a Ping.
             * @typedef {fedgate.v1.Ping.$Properties} fedgate.v1.Ping.$Shape
             */

            /**
             * Constructs a new Ping.
             * @memberof fedgate.v1
             * @classdesc Represents a Ping.
             * @constructor
             * @param {fedgate.v1.Ping.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Ping = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Ping sentUnixMs.
             * @member {number} sentUnixMs
             * @memberof fedgate.v1.Ping
             * @instance
             */
            Ping.prototype.sentUnixMs = 0;

            /**
             * Creates a new Ping instance using the specified properties.
             * @function create
             * @memberof fedgate.v1.Ping
             * @static
             * @param {fedgate.v1.Ping.$Properties=} [properties] Properties to set
             * @returns {fedgate.v1.Ping} Ping instance
             * @type {{
             *   (properties: fedgate.v1.Ping.$Shape): fedgate.v1.Ping & fedgate.v1.Ping.$Shape;
             *   (properties?: fedgate.v1.Ping.$Properties): fedgate.v1.Ping;
             * }}
             */
            Ping.create = function(properties) {
                return new Ping(properties);
            };

            /**
             * Encodes the specified Ping message. Does not implicitly {@link fedgate.v1.Ping.verify|verify} messages.
             * @function encode
             * @memberof fedgate.v1.Ping
             * @static
             * @param {fedgate.v1.Ping.$Properties} message Ping message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Ping.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.sentUnixMs != null && $Object.hasOwnProperty.call(message, "sentUnixMs") && !$Object.is(message.sentUnixMs, 0))
                    writer.uint32(/* id 1, wireType 1 =*/9).double(message.sentUnixMs);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a Ping message from the specified reader or buffer.
             * @function decode
             * @memberof fedgate.v1.Ping
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedgate.v1.Ping & fedgate.v1.Ping.$Shape} Ping
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Ping.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fedgate.v1.Ping();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.sentUnixMs = value;
                            else
                                delete message.sentUnixMs;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Gets the type url for Ping
             * @function getTypeUrl
             * @memberof fedgate.v1.Ping
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            Ping.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/fedgate.v1.Ping";
            };

            return Ping;
        })();

        v1.MemberMessage = (function() {

            /**
             * Properties of a MemberMessage.
             * @typedef {Object} fedgate.v1.MemberMessage.$Properties
             * @property {fedgate.v1.Hello.$Properties|null} [hello] MemberMessage hello
             * @property {fedgate.v1.Ack.$Properties|null} [ack] MemberMessage ack
             * @property {fedgate.v1.Status.$Properties|null} [status] MemberMessage status
             * @property {fedgate.v1.Heartbeat.$Properties|null} [heartbeat] MemberMessage heartbeat
             * @property {fedgate.v1.Pong.$Properties|null} [pong] MemberMessage pong
             * @property {"hello"|"ack"|"status"|"heartbeat"|"pong"} [body] MemberMessage body
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a MemberMessage.
             * @memberof fedgate.v1
             * @interface IMemberMessage
             * @augments fedgate.v1.MemberMessage.$Properties
             * @deprecated Use fedgate.v1.MemberMessage.$Properties instead.
             */

            /**
             * Narrowed shape of a MemberMessage.
             * @typedef {{
             *   hello?: fedgate.v1.Hello.$Shape|null;
             *   ack?: fedgate.v1.Ack.$Shape|null;
             *   status?: fedgate.v1.Status.$Shape|null;
             *   heartbeat?: fedgate.v1.Heartbeat.$Shape|null;
             *   pong?: fedgate.v1.Pong.$Shape|null;
             *   $unknowns?: Array.<Uint8Array>;
             * } & (
             *   ({ body?: undefined; hello?: null; ack?: null; status?: null; heartbeat?: null; pong?: null }|{ body?: "hello"; hello: fedgate.v1.Hello.$Shape; ack?: null; status?: null; heartbeat?: null; pong?: null }|{ body?: "ack"; hello?: null; ack: fedgate.v1.Ack.$Shape; status?: null; heartbeat?: null; pong?: null }|{ body?: "status"; hello?: null; ack?: null; status: fedgate.v1.Status.$Shape; heartbeat?: null; pong?: null }|{ body?: "heartbeat"; hello?: null; ack?: null; status?: null; heartbeat: fedgate.v1.Heartbeat.$Shape; pong?: null }|{ body?: "pong"; hello?: null; ack?: null; status?: null; heartbeat?: null; pong: fedgate.v1.Pong.$Shape })
             * )} fedgate.v1.MemberMessage.$Shape
             */

            /**
             * Constructs a new MemberMessage.
             * @memberof fedgate.v1
             * @classdesc Represents a MemberMessage.
             * @constructor
             * @param {fedgate.v1.MemberMessage.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const MemberMessage = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * MemberMessage hello.
             * @member {fedgate.v1.Hello.$Properties|null|undefined} hello
             * @memberof fedgate.v1.MemberMessage
             * @instance
             */
            MemberMessage.prototype.hello = null;

            /**
             * MemberMessage ack.
             * @member {fedgate.v1.Ack.$Properties|null|undefined} ack
             * @memberof fedgate.v1.MemberMessage
             * @instance
             */
            MemberMessage.prototype.ack = null;

            /**
             * MemberMessage status.
             * @member {fedgate.v1.Status.$Properties|null|undefined} status
             * @memberof fedgate.v1.MemberMessage
             * @instance
             */
            MemberMessage.prototype.status = null;

            /**
             * MemberMessage heartbeat.
             * @member {fedgate.v1.Heartbeat.$Properties|null|undefined} heartbeat
             * @memberof fedgate.v1.MemberMessage
             * @instance
             */
            MemberMessage.prototype.heartbeat = null;

            /**
             * MemberMessage pong.
             * @member {fedgate.v1.Pong.$Properties|null|undefined} pong
             * @memberof fedgate.v1.MemberMessage
             * @instance
             */
            MemberMessage.prototype.pong = null;

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            /**
             * MemberMessage body.
             * @member {"hello"|"ack"|"status"|"heartbeat"|"pong"|undefined} body
             * @memberof fedgate.v1.MemberMessage
             * @instance
             */
            $Object.defineProperty(MemberMessage.prototype, "body", {
                get: $util.oneOfGetter($oneOfFields = ["hello", "ack", "status", "heartbeat", "pong"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new MemberMessage instance using the specified properties.
             * @function create
             * @memberof fedgate.v1.MemberMessage
             * @static
             * @param {fedgate.v1.MemberMessage.$Properties=} [properties] Properties to set
             * @returns {fedgate.v1.MemberMessage} MemberMessage instance
             * @type {{
             *   (properties: fedgate.v1.MemberMessage.$Shape): fedgate.v1.MemberMessage & fedgate.v1.MemberMessage.$Shape;
             *   (properties?: fedgate.v1.MemberMessage.$Properties): fedgate.v1.MemberMessage;
             * }}
             */
            MemberMessage.create = function(properties) {
                return new MemberMessage(properties);
            };

            /**
             * Encodes the specified MemberMessage message. Does not implicitly {@link fedgate.v1.MemberMessage.verify|verify} messages.
             * @function encode
             * @memberof fedgate.v1.MemberMessage
             * @static
             * @param {fedgate.v1.MemberMessage.$Properties} message MemberMessage message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            MemberMessage.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.hello != null && $Object.hasOwnProperty.call(message, "hello"))
                    $root.fedgate.v1.Hello.encode(message.hello, writer.uint32(/* id 1, wireType 2 =*/10).fork(), _depth + 1).ldelim();
                if (message.ack != null && $Object.hasOwnProperty.call(message, "ack"))
                    $root.fedgate.v1.Ack.encode(message.ack, writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                if (message.status != null && $Object.hasOwnProperty.call(message, "status"))
                    $root.fedgate.v1.Status.encode(message.status, writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                if (message.heartbeat != null && $Object.hasOwnProperty.call(message, "heartbeat"))
                    $root.fedgate.v1.Heartbeat.encode(message.heartbeat, writer.uint32(/* id 4, wireType 2 =*/34).fork(), _depth + 1).ldelim();
                if (message.pong != null && $Object.hasOwnProperty.call(message, "pong"))
                    $root.fedgate.v1.Pong.encode(message.pong, writer.uint32(/* id 5, wireType 2 =*/42).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a MemberMessage message from the specified reader or buffer.
             * @function decode
             * @memberof fedgate.v1.MemberMessage
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedgate.v1.MemberMessage & fedgate.v1.MemberMessage.$Shape} MemberMessage
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            MemberMessage.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fedgate.v1.MemberMessage();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            message.hello = $root.fedgate.v1.Hello.decode(reader, reader.size(), $undefined, _depth + 1, message.hello);
                            message.body = "hello";
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            message.ack = $root.fedgate.v1.Ack.decode(reader, reader.size(), $undefined, _depth + 1, message.ack);
                            message.body = "ack";
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            message.status = $root.fedgate.v1.Status.decode(reader, reader.size(), $undefined, _depth + 1, message.status);
                            message.body = "status";
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            message.heartbeat = $root.fedgate.v1.Heartbeat.decode(reader, reader.size(), $undefined, _depth + 1, message.heartbeat);
                            message.body = "heartbeat";
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            message.pong = $root.fedgate.v1.Pong.decode(reader, reader.size(), $undefined, _depth + 1, message.pong);
                            message.body = "pong";
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Gets the type url for MemberMessage
             * @function getTypeUrl
             * @memberof fedgate.v1.MemberMessage
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            MemberMessage.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/fedgate.v1.MemberMessage";
            };

            return MemberMessage;
        })();

        v1.Hello = (function() {

            /**
             * Properties of a Hello.
             * @typedef {Object} fedgate.v1.Hello.$Properties
             * @property {string|null} [clusterName] Hello clusterName
             * @property {number|null} [lastAppliedSeq] Hello lastAppliedSeq
             * @property {string|null} [version] Hello version
             * @property {string|null} [apiEndpoint] Hello apiEndpoint
             * @property {string|null} [apiCaBundle] Hello apiCaBundle
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Hello.
             * @memberof fedgate.v1
             * @interface IHello
             * @augments fedgate.v1.Hello.$Properties
             * @deprecated Use fedgate.v1.Hello.$Properties instead.
             */

            /**
             * Shape of a Hello.
             * @typedef {fedgate.v1.Hello.$Properties} fedgate.v1.Hello.$Shape
             */

            /**
             * Constructs a new Hello.
             * @memberof fedgate.v1
             * @classdesc Represents a Hello.
             * @constructor
             * @param {fedgate.v1.Hello.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Hello = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Hello clusterName.
             * @member {string} clusterName
             * @memberof fedgate.v1.Hello
             * @instance
             */
            Hello.prototype.clusterName = "";

            /**
             * Hello lastAppliedSeq.
             * @member {number} lastAppliedSeq
             * @memberof fedgate.v1.Hello
             * @instance
             */
            Hello.prototype.lastAppliedSeq = 0;

            /**
             * Hello version.
             * @member {string} version
             * @memberof fedgate.v1.Hello
             * @instance
             */
            Hello.prototype.version = "";

            /**
             * Hello apiEndpoint.
             * @member {string} apiEndpoint
             * @memberof fedgate.v1.Hello
             * @instance
             */
            Hello.prototype.apiEndpoint = "";

            /**
             * Hello apiCaBundle.
             * @member {string} apiCaBundle
             * @memberof fedgate.v1.Hello
             * @instance
             */
            Hello.prototype.apiCaBundle = "";

            /**
             * Creates a new Hello instance using the specified properties.
             * @function create
             * @memberof fedgate.v1.Hello
             * @static
             * @param {fedgate.v1.Hello.$Properties=} [properties] Properties to set
             * @returns {fedgate.v1.Hello} Hello instance
             * @type {{
             *   (properties: fedgate.v1.Hello.$Shape): fedgate.v1.Hello & fedgate.v1.Hello.$Shape;
             *   (properties?: fedgate.v1.Hello.$Properties): fedgate.v1.Hello;
             * }}
             */
            Hello.create = function(properties) {
                return new Hello(properties);
            };

            /**
             * Encodes the specified Hello message. Does not implicitly {@link fedgate.v1.Hello.verify|verify} messages.
             * @function encode
             * @memberof fedgate.v1.Hello
             * @static
             * @param {fedgate.v1.Hello.$Properties} message Hello message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Hello.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.clusterName != null && $Object.hasOwnProperty.call(message, "clusterName") && message.clusterName !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.clusterName);
                if (message.lastAppliedSeq != null && $Object.hasOwnProperty.call(message, "lastAppliedSeq") && message.lastAppliedSeq !== 0)
                    writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.lastAppliedSeq);
                if (message.version != null && $Object.hasOwnProperty.call(message, "version") && message.version !== "")
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.version);
                if (message.apiEndpoint != null && $Object.hasOwnProperty.call(message, "apiEndpoint") && message.apiEndpoint !== "")
                    writer.uint32(/* id 4, wireType 2 =*/34).string(message.apiEndpoint);
                if (message.apiCaBundle != null && $Object.hasOwnProperty.call(message, "apiCaBundle") && message.apiCaBundle !== "")
                    writer.uint32(/* id 5, wireType 2 =*/42).string(message.apiCaBundle);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a Hello message from the specified reader or buffer.
             * @function decode
             * @memberof fedgate.v1.Hello
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedgate.v1.Hello & fedgate.v1.Hello.$Shape} Hello
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Hello.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fedgate.v1.Hello();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.clusterName = value;
                            else
                                delete message.clusterName;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.lastAppliedSeq = value;
                            else
                                delete message.lastAppliedSeq;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.version = value;
                            else
                                delete message.version;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.apiEndpoint = value;
                            else
                                delete message.apiEndpoint;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.apiCaBundle = value;
                            else
                                delete message.apiCaBundle;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Gets the type url for Hello
             * @function getTypeUrl
             * @memberof fedgate.v1.Hello
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            Hello.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/fedgate.v1.Hello";
            };

            return Hello;
        })();

        v1.Ack = (function() {

            /**
             * Properties of an Ack.
             * @typedef {Object} fedgate.v1.Ack.$Properties
             * @property {number|null} [seq] Ack seq
             * @property {fedgate.v1.ObjectRef.$Properties|null} [ref] Ack ref
             * @property {number|null} [observedGeneration] Ack observedGeneration
             * @property {string|null} [error] Ack error
             * @property {string|null} [reason] Ack reason
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an Ack.
             * @memberof fedgate.v1
             * @interface IAck
             * @augments fedgate.v1.Ack.$Properties
             * @deprecated Use fedgate.v1.Ack.$Properties instead.
             */

            /**
             * Shape of an Ack.
             * @typedef {fedgate.v1.Ack.$Properties} fedgate.v1.Ack.$Shape
             */

            /**
             * Constructs a new Ack.
             * @memberof fedgate.v1
             * @classdesc Represents an Ack.
             * @constructor
             * @param {fedgate.v1.Ack.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Ack = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Ack seq.
             * @member {number} seq
             * @memberof fedgate.v1.Ack
             * @instance
             */
            Ack.prototype.seq = 0;

            /**
             * Ack ref.
             * @member {fedgate.v1.ObjectRef.$Properties|null|undefined} ref
             * @memberof fedgate.v1.Ack
             * @instance
             */
            Ack.prototype.ref = null;

            /**
             * Ack observedGeneration.
             * @member {number} observedGeneration
             * @memberof fedgate.v1.Ack
             * @instance
             */
            Ack.prototype.observedGeneration = 0;

            /**
             * Ack error.
             * @member {string} error
             * @memberof fedgate.v1.Ack
             * @instance
             */
            Ack.prototype.error = "";

            /**
             * Ack reason.
             * @member {string} reason
             * @memberof fedgate.v1.Ack
             * @instance
             */
            Ack.prototype.reason = "";

            /**
             * Creates a new Ack instance using the specified properties.
             * @function create
             * @memberof fedgate.v1.Ack
             * @static
             * @param {fedgate.v1.Ack.$Properties=} [properties] Properties to set
             * @returns {fedgate.v1.Ack} Ack instance
             * @type {{
             *   (properties: fedgate.v1.Ack.$Shape): fedgate.v1.Ack & fedgate.v1.Ack.$Shape;
             *   (properties?: fedgate.v1.Ack.$Properties): fedgate.v1.Ack;
             * }}
             */
            Ack.create = function(properties) {
                return new Ack(properties);
            };

            /**
             * Encodes the specified Ack message. Does not implicitly {@link fedgate.v1.Ack.verify|verify} messages.
             * @function encode
             * @memberof fedgate.v1.Ack
             * @static
             * @param {fedgate.v1.Ack.$Properties} message Ack message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Ack.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.seq != null && $Object.hasOwnProperty.call(message, "seq") && message.seq !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.seq);
                if (message.ref != null && $Object.hasOwnProperty.call(message, "ref"))
                    $root.fedgate.v1.ObjectRef.encode(message.ref, writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                if (message.observedGeneration != null && $Object.hasOwnProperty.call(message, "observedGeneration") && !$Object.is(message.observedGeneration, 0))
                    writer.uint32(/* id 3, wireType 1 =*/25).double(message.observedGeneration);
                if (message.error != null && $Object.hasOwnProperty.call(message, "error") && message.error !== "")
                    writer.uint32(/* id 4, wireType 2 =*/34).string(message.error);
                if (message.reason != null && $Object.hasOwnProperty.call(message, "reason") && message.reason !== "")
                    writer.uint32(/* id 5, wireType 2 =*/42).string(message.reason);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes an Ack message from the specified reader or buffer.
             * @function decode
             * @memberof fedgate.v1.Ack
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedgate.v1.Ack & fedgate.v1.Ack.$Shape} Ack
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Ack.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fedgate.v1.Ack();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.seq = value;
                            else
                                delete message.seq;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            message.ref = $root.fedgate.v1.ObjectRef.decode(reader, reader.size(), $undefined, _depth + 1, message.ref);
                            continue;
                        }
                    case 3: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.observedGeneration = value;
                            else
                                delete message.observedGeneration;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.error = value;
                            else
                                delete message.error;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.reason = value;
                            else
                                delete message.reason;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Gets the type url for Ack
             * @function getTypeUrl
             * @memberof fedgate.v1.Ack
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            Ack.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/fedgate.v1.Ack";
            };

            return Ack;
        })();

        v1.Status = (function() {

            /**
             * Properties of a Status.
             * @typedef {Object} fedgate.v1.Status.$Properties
             * @property {fedgate.v1.ObjectRef.$Properties|null} [ref] Status ref
             * @property {Uint8Array|null} [status] Status status
             * @property {number|null} [generation] Status generation
             * @property {number|null} [observedGeneration] Status observedGeneration
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Status.
             * @memberof fedgate.v1
             * @interface IStatus
             * @augments fedgate.v1.Status.$Properties
             * @deprecated Use fedgate.v1.Status.$Properties instead.
             */

            /**
             * Shape of a Status.
             * @typedef {fedgate.v1.Status.$Properties} fedgate.v1.Status.$Shape
             */

            /**
             * Constructs a new Status.
             * @memberof fedgate.v1
             * @classdesc Represents a Status.
             * @constructor
             * @param {fedgate.v1.Status.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Status = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Status ref.
             * @member {fedgate.v1.ObjectRef.$Properties|null|undefined} ref
             * @memberof fedgate.v1.Status
             * @instance
             */
            Status.prototype.ref = null;

            /**
             * Status status.
             * @member {Uint8Array} status
             * @memberof fedgate.v1.Status
             * @instance
             */
            Status.prototype.status = $util.newBuffer([]);

            /**
             * Status generation.
             * @member {number} generation
             * @memberof fedgate.v1.Status
             * @instance
             */
            Status.prototype.generation = 0;

            /**
             * Status observedGeneration.
             * @member {number} observedGeneration
             * @memberof fedgate.v1.Status
             * @instance
             */
            Status.prototype.observedGeneration = 0;

            /**
             * Creates a new Status instance using the specified properties.
             * @function create
             * @memberof fedgate.v1.Status
             * @static
             * @param {fedgate.v1.Status.$Properties=} [properties] Properties to set
             * @returns {fedgate.v1.Status} Status instance
             * @type {{
             *   (properties: fedgate.v1.Status.$Shape): fedgate.v1.Status & fedgate.v1.Status.$Shape;
             *   (properties?: fedgate.v1.Status.$Properties): fedgate.v1.Status;
             * }}
             */
            Status.create = function(properties) {
                return new Status(properties);
            };

            /**
             * Encodes the specified Status message. Does not implicitly {@link fedgate.v1.Status.verify|verify} messages.
             * @function encode
             * @memberof fedgate.v1.Status
             * @static
             * @param {fedgate.v1.Status.$Properties} message Status message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Status.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.ref != null && $Object.hasOwnProperty.call(message, "ref"))
                    $root.fedgate.v1.ObjectRef.encode(message.ref, writer.uint32(/* id 1, wireType 2 =*/10).fork(), _depth + 1).ldelim();
                if (message.status != null && $Object.hasOwnProperty.call(message, "status") && message.status.length)
                    writer.uint32(/* id 2, wireType 2 =*/18).bytes(message.status);
                if (message.generation != null && $Object.hasOwnProperty.call(message, "generation") && !$Object.is(message.generation, 0))
                    writer.uint32(/* id 3, wireType 1 =*/25).double(message.generation);
                if (message.observedGeneration != null && $Object.hasOwnProperty.call(message, "observedGeneration") && !$Object.is(message.observedGeneration, 0))
                    writer.uint32(/* id 4, wireType 1 =*/33).double(message.observedGeneration);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a Status message from the specified reader or buffer.
             * @function decode
             * @memberof fedgate.v1.Status
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedgate.v1.Status & fedgate.v1.Status.$Shape} Status
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Status.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fedgate.v1.Status();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            message.ref = $root.fedgate.v1.ObjectRef.decode(reader, reader.size(), $undefined, _depth + 1, message.ref);
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.status = value;
                            else
                                delete message.status;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.generation = value;
                            else
                                delete message.generation;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.observedGeneration = value;
                            else
                                delete message.observedGeneration;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Gets the type url for Status
             * @function getTypeUrl
             * @memberof fedgate.v1.Status
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            Status.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/fedgate.v1.Status";
            };

            return Status;
        })();

        v1.ServiceHealth = (function() {

            /**
             * Properties of a ServiceHealth.
             * @typedef {Object} fedgate.v1.ServiceHealth.$Properties
             * @property {string|null} [namespace] ServiceHealth namespace
             * @property {string|null} [name] ServiceHealth name
             * @property {number|null} [readyEndpoints] ServiceHealth readyEndpoints
             * @property {number|null} [totalEndpoints] ServiceHealth totalEndpoints
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a ServiceHealth.
             * @memberof fedgate.v1
             * @interface IServiceHealth
             * @augments fedgate.v1.ServiceHealth.$Properties
             * @deprecated Use fedgate.v1.ServiceHealth.$Properties instead.
             */

            /**
             * Shape of a ServiceHealth.
             * @typedef {fedgate.v1.ServiceHealth.$Properties} fedgate.v1.ServiceHealth.$Shape
             */

            /**
             * Constructs a new ServiceHealth.
             * @memberof fedgate.v1
             * @classdesc Represents a ServiceHealth.
             * @constructor
             * @param {fedgate.v1.ServiceHealth.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ServiceHealth = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * ServiceHealth namespace.
             * @member {string} namespace
             * @memberof fedgate.v1.ServiceHealth
             * @instance
             */
            ServiceHealth.prototype.namespace = "";

            /**
             * ServiceHealth name.
             * @member {string} name
             * @memberof fedgate.v1.ServiceHealth
             * @instance
             */
            ServiceHealth.prototype.name = "";

            /**
             * ServiceHealth readyEndpoints.
             * @member {number} readyEndpoints
             * @memberof fedgate.v1.ServiceHealth
             * @instance
             */
            ServiceHealth.prototype.readyEndpoints = 0;

            /**
             * ServiceHealth totalEndpoints.
             * @member {number} totalEndpoints
             * @memberof fedgate.v1.ServiceHealth
             * @instance
             */
            ServiceHealth.prototype.totalEndpoints = 0;

            /**
             * Creates a new ServiceHealth instance using the specified properties.
             * @function create
             * @memberof fedgate.v1.ServiceHealth
             * @static
             * @param {fedgate.v1.ServiceHealth.$Properties=} [properties] Properties to set
             * @returns {fedgate.v1.ServiceHealth} ServiceHealth instance
             * @type {{
             *   (properties: fedgate.v1.ServiceHealth.$Shape): fedgate.v1.ServiceHealth & fedgate.v1.ServiceHealth.$Shape;
             *   (properties?: fedgate.v1.ServiceHealth.$Properties): fedgate.v1.ServiceHealth;
             * }}
             */
            ServiceHealth.create = function(properties) {
                return new ServiceHealth(properties);
            };

            /**
             * Encodes the specified ServiceHealth message. Does not implicitly {@link fedgate.v1.ServiceHealth.verify|verify} messages.
             * @function encode
             * @memberof fedgate.v1.ServiceHealth
             * @static
             * @param {fedgate.v1.ServiceHealth.$Properties} message ServiceHealth message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ServiceHealth.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.namespace != null && $Object.hasOwnProperty.call(message, "namespace") && message.namespace !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.namespace);
                if (message.name != null && $Object.hasOwnProperty.call(message, "name") && message.name !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.name);
                if (message.readyEndpoints != null && $Object.hasOwnProperty.call(message, "readyEndpoints") && message.readyEndpoints !== 0)
                    writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.readyEndpoints);
                if (message.totalEndpoints != null && $Object.hasOwnProperty.call(message, "totalEndpoints") && message.totalEndpoints !== 0)
                    writer.uint32(/* id 4, wireType 0 =*/32).uint32(message.totalEndpoints);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a ServiceHealth message from the specified reader or buffer.
             * @function decode
             * @memberof fedgate.v1.ServiceHealth
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedgate.v1.ServiceHealth & fedgate.v1.ServiceHealth.$Shape} ServiceHealth
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ServiceHealth.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fedgate.v1.ServiceHealth();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.namespace = value;
                            else
                                delete message.namespace;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.name = value;
                            else
                                delete message.name;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.readyEndpoints = value;
                            else
                                delete message.readyEndpoints;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.totalEndpoints = value;
                            else
                                delete message.totalEndpoints;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Gets the type url for ServiceHealth
             * @function getTypeUrl
             * @memberof fedgate.v1.ServiceHealth
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            ServiceHealth.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/fedgate.v1.ServiceHealth";
            };

            return ServiceHealth;
        })();

        v1.NodeResources = (function() {

            /**
             * Properties of a NodeResources.
             * @typedef {Object} fedgate.v1.NodeResources.$Properties
             * @property {string|null} [name] NodeResources name
             * @property {Object.<string,string>|null} [allocatable] NodeResources allocatable
             * @property {Object.<string,string>|null} [free] NodeResources free
             * @property {boolean|null} [ready] NodeResources ready
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a NodeResources.
             * @memberof fedgate.v1
             * @interface INodeResources
             * @augments fedgate.v1.NodeResources.$Properties
             * @deprecated Use fedgate.v1.NodeResources.$Properties instead.
             */

            /**
             * Shape of a NodeResources.
             * @typedef {fedgate.v1.NodeResources.$Properties} fedgate.v1.NodeResources.$Shape
             */

            /**
             * Constructs a new NodeResources.
             * @memberof fedgate.v1
             * @classdesc Represents a NodeResources.
             * @constructor
             * @param {fedgate.v1.NodeResources.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const NodeResources = function (properties) {
                this.allocatable = {};
                this.free = {};
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * NodeResources name.
             * @member {string} name
             * @memberof fedgate.v1.NodeResources
             * @instance
             */
            NodeResources.prototype.name = "";

            /**
             * NodeResources allocatable.
             * @member {Object.<string,string>} allocatable
             * @memberof fedgate.v1.NodeResources
             * @instance
             */
            NodeResources.prototype.allocatable = $util.emptyObject;

            /**
             * NodeResources free.
             * @member {Object.<string,string>} free
             * @memberof fedgate.v1.NodeResources
             * @instance
             */
            NodeResources.prototype.free = $util.emptyObject;

            /**
             * NodeResources ready.
             * @member {boolean} ready
             * @memberof fedgate.v1.NodeResources
             * @instance
             */
            NodeResources.prototype.ready = false;

            /**
             * Creates a new NodeResources instance using the specified properties.
             * @function create
             * @memberof fedgate.v1.NodeResources
             * @static
             * @param {fedgate.v1.NodeResources.$Properties=} [properties] Properties to set
             * @returns {fedgate.v1.NodeResources} NodeResources instance
             * @type {{
             *   (properties: fedgate.v1.NodeResources.$Shape): fedgate.v1.NodeResources & fedgate.v1.NodeResources.$Shape;
             *   (properties?: fedgate.v1.NodeResources.$Properties): fedgate.v1.NodeResources;
             * }}
             */
            NodeResources.create = function(properties) {
                return new NodeResources(properties);
            };

            /**
             * Encodes the specified NodeResources message. Does not implicitly {@link fedgate.v1.NodeResources.verify|verify} messages.
             * @function encode
             * @memberof fedgate.v1.NodeResources
             * @static
             * @param {fedgate.v1.NodeResources.$Properties} message NodeResources message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            NodeResources.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.name != null && $Object.hasOwnProperty.call(message, "name") && message.name !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.name);
                if (message.allocatable != null && $Object.hasOwnProperty.call(message, "allocatable"))
                    for (let keys = $Object.keys(message.allocatable), i = 0; i < keys.length; ++i)
                        writer.uint32(/* id 2, wireType 2 =*/18).fork().uint32(/* id 1, wireType 2 =*/10).string(keys[i]).uint32(/* id 2, wireType 2 =*/18).string(message.allocatable[keys[i]]).ldelim();
                if (message.free != null && $Object.hasOwnProperty.call(message, "free"))
                    for (let keys = $Object.keys(message.free), i = 0; i < keys.length; ++i)
                        writer.uint32(/* id 3, wireType 2 =*/26).fork().uint32(/* id 1, wireType 2 =*/10).string(keys[i]).uint32(/* id 2, wireType 2 =*/18).string(message.free[keys[i]]).ldelim();
                if (message.ready != null && $Object.hasOwnProperty.call(message, "ready") && message.ready !== false)
                    writer.uint32(/* id 4, wireType 0 =*/32).bool(message.ready);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a NodeResources message from the specified reader or buffer.
             * @function decode
             * @memberof fedgate.v1.NodeResources
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedgate.v1.NodeResources & fedgate.v1.NodeResources.$Shape} NodeResources
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            NodeResources.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, key, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fedgate.v1.NodeResources();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.name = value;
                            else
                                delete message.name;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if (message.allocatable === $util.emptyObject)
                                message.allocatable = {};
                            let end2 = reader.size() + reader.pos;
                            if (end2 > reader.len)
                                throw $RangeError("index out of range");
                            reader.len = end2;
                            key = "";
                            value = "";
                            while (reader.pos < end2) {
                                let tag2 = reader.tag();
                                wireType = tag2 & 7;
                                switch (tag2 >>>= 3) {
                                case 1:
                                    if (wireType !== 2)
                                        break;
                                    key = reader.stringVerify();
                                    continue;
                                case 2:
                                    if (wireType !== 2)
                                        break;
                                    value = reader.stringVerify();
                                    continue;
                                }
                                reader.skipType(wireType, _depth, tag2);
                            }
                            if (reader.pos !== end2)
                                throw $RangeError("index out of range");
                            reader.len = end;
                            if (key === "__proto__")
                                $util.makeProp(message.allocatable, key);
                            message.allocatable[key] = value;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if (message.free === $util.emptyObject)
                                message.free = {};
                            let end2 = reader.size() + reader.pos;
                            if (end2 > reader.len)
                                throw $RangeError("index out of range");
                            reader.len = end2;
                            key = "";
                            value = "";
                            while (reader.pos < end2) {
                                let tag2 = reader.tag();
                                wireType = tag2 & 7;
                                switch (tag2 >>>= 3) {
                                case 1:
                                    if (wireType !== 2)
                                        break;
                                    key = reader.stringVerify();
                                    continue;
                                case 2:
                                    if (wireType !== 2)
                                        break;
                                    value = reader.stringVerify();
                                    continue;
                                }
                                reader.skipType(wireType, _depth, tag2);
                            }
                            if (reader.pos !== end2)
                                throw $RangeError("index out of range");
                            reader.len = end;
                            if (key === "__proto__")
                                $util.makeProp(message.free, key);
                            message.free[key] = value;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.ready = value;
                            else
                                delete message.ready;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Gets the type url for NodeResources
             * @function getTypeUrl
             * @memberof fedgate.v1.NodeResources
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            NodeResources.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/fedgate.v1.NodeResources";
            };

            return NodeResources;
        })();

        v1.Heartbeat = (function() {

            /**
             * Properties of a Heartbeat.
             * @typedef {Object} fedgate.v1.Heartbeat.$Properties
             * @property {number|null} [sentUnixMs] Heartbeat sentUnixMs
             * @property {Object.<string,string>|null} [capacity] Heartbeat capacity
             * @property {Object.<string,string>|null} [allocatable] Heartbeat allocatable
             * @property {Object.<string,string>|null} [available] Heartbeat available
             * @property {number|null} [nodesReady] Heartbeat nodesReady
             * @property {number|null} [nodesTotal] Heartbeat nodesTotal
             * @property {Array.<fedgate.v1.ServiceHealth.$Properties>|null} [services] Heartbeat services
             * @property {Array.<fedgate.v1.NodeResources.$Properties>|null} [nodes] Heartbeat nodes
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Heartbeat.
             * @memberof fedgate.v1
             * @interface IHeartbeat
             * @augments fedgate.v1.Heartbeat.$Properties
             * @deprecated Use fedgate.v1.Heartbeat.$Properties instead.
             */

            /**
             * Shape of a Heartbeat.
             * @typedef {fedgate.v1.Heartbeat.$Properties} fedgate.v1.Heartbeat.$Shape
             */

            /**
             * Constructs a new Heartbeat.
             * @memberof fedgate.v1
             * @classdesc Represents a Heartbeat.
             * @constructor
             * @param {fedgate.v1.Heartbeat.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Heartbeat = function (properties) {
                this.capacity = {};
                this.allocatable = {};
                this.available = {};
                this.services = [];
                this.nodes = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Heartbeat sentUnixMs.
             * @member {number} sentUnixMs
             * @memberof fedgate.v1.Heartbeat
             * @instance
             */
            Heartbeat.prototype.sentUnixMs = 0;

            /**
             * Heartbeat capacity.
             * @member {Object.<string,string>} capacity
             * @memberof fedgate.v1.Heartbeat
             * @instance
             */
            Heartbeat.prototype.capacity = $util.emptyObject;

            /**
             * Heartbeat allocatable.
             * @member {Object.<string,string>} allocatable
             * @memberof fedgate.v1.Heartbeat
             * @instance
             */
            Heartbeat.prototype.allocatable = $util.emptyObject;

            /**
             * Heartbeat available.
             * @member {Object.<string,string>} available
             * @memberof fedgate.v1.Heartbeat
             * @instance
             */
            Heartbeat.prototype.available = $util.emptyObject;

            /**
             * Heartbeat nodesReady.
             * @member {number} nodesReady
             * @memberof fedgate.v1.Heartbeat
             * @instance
             */
            Heartbeat.prototype.nodesReady = 0;

            /**
             * Heartbeat nodesTotal.
             * @member {number} nodesTotal
             * @memberof fedgate.v1.Heartbeat
             * @instance
             */
            Heartbeat.prototype.nodesTotal = 0;

            /**
             * Heartbeat services.
             * @member {Array.<fedgate.v1.ServiceHealth.$Properties>} services
             * @memberof fedgate.v1.Heartbeat
             * @instance
             */
            Heartbeat.prototype.services = $util.emptyArray;

            /**
             * Heartbeat nodes.
             * @member {Array.<fedgate.v1.NodeResources.$Properties>} nodes
             * @memberof fedgate.v1.Heartbeat
             * @instance
             */
            Heartbeat.prototype.nodes = $util.emptyArray;

            /**
             * Creates a new Heartbeat instance using the specified properties.
             * @function create
             * @memberof fedgate.v1.Heartbeat
             * @static
             * @param {fedgate.v1.Heartbeat.$Properties=} [properties] Properties to set
             * @returns {fedgate.v1.Heartbeat} Heartbeat instance
             * @type {{
             *   (properties: fedgate.v1.Heartbeat.$Shape): fedgate.v1.Heartbeat & fedgate.v1.Heartbeat.$Shape;
             *   (properties?: fedgate.v1.Heartbeat.$Properties): fedgate.v1.Heartbeat;
             * }}
             */
            Heartbeat.create = function(properties) {
                return new Heartbeat(properties);
            };

            /**
             * Encodes the specified Heartbeat message. Does not implicitly {@link fedgate.v1.Heartbeat.verify|verify} messages.
             * @function encode
             * @memberof fedgate.v1.Heartbeat
             * @static
             * @param {fedgate.v1.Heartbeat.$Properties} message Heartbeat message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Heartbeat.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.sentUnixMs != null && $Object.hasOwnProperty.call(message, "sentUnixMs") && !$Object.is(message.sentUnixMs, 0))
                    writer.uint32(/* id 1, wireType 1 =*/9).double(message.sentUnixMs);
                if (message.capacity != null && $Object.hasOwnProperty.call(message, "capacity"))
                    for (let keys = $Object.keys(message.capacity), i = 0; i < keys.length; ++i)
                        writer.uint32(/* id 2, wireType 2 =*/18).fork().uint32(/* id 1, wireType 2 =*/10).string(keys[i]).uint32(/* id 2, wireType 2 =*/18).string(message.capacity[keys[i]]).ldelim();
                if (message.allocatable != null && $Object.hasOwnProperty.call(message, "allocatable"))
                    for (let keys = $Object.keys(message.allocatable), i = 0; i < keys.length; ++i)
                        writer.uint32(/* id 3, wireType 2 =*/26).fork().uint32(/* id 1, wireType 2 =*/10).string(keys[i]).uint32(/* id 2, wireType 2 =*/18).string(message.allocatable[keys[i]]).ldelim();
                if (message.available != null && $Object.hasOwnProperty.call(message, "available"))
                    for (let keys = $Object.keys(message.available), i = 0; i < keys.length; ++i)
                        writer.uint32(/* id 4, wireType 2 =*/34).fork().uint32(/* id 1, wireType 2 =*/10).string(keys[i]).uint32(/* id 2, wireType 2 =*/18).string(message.available[keys[i]]).ldelim();
                if (message.nodesReady != null && $Object.hasOwnProperty.call(message, "nodesReady") && message.nodesReady !== 0)
                    writer.uint32(/* id 5, wireType 0 =*/40).uint32(message.nodesReady);
                if (message.nodesTotal != null && $Object.hasOwnProperty.call(message, "nodesTotal") && message.nodesTotal !== 0)
                    writer.uint32(/* id 6, wireType 0 =*/48).uint32(message.nodesTotal);
                if (message.services != null && message.services.length)
                    for (let i = 0; i < message.services.length; ++i)
                        $root.fedgate.v1.ServiceHealth.encode(message.services[i], writer.uint32(/* id 7, wireType 2 =*/58).fork(), _depth + 1).ldelim();
                if (message.nodes != null && message.nodes.length)
                    for (let i = 0; i < message.nodes.length; ++i)
                        $root.fedgate.v1.NodeResources.encode(message.nodes[i], writer.uint32(/* id 8, wireType 2 =*/66).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a Heartbeat message from the specified reader or buffer.
             * @function decode
             * @memberof fedgate.v1.Heartbeat
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedgate.v1.Heartbeat & fedgate.v1.Heartbeat.$Shape} Heartbeat
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Heartbeat.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, key, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fedgate.v1.Heartbeat();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.sentUnixMs = value;
                            else
                                delete message.sentUnixMs;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if (message.capacity === $util.emptyObject)
                                message.capacity = {};
                            let end2 = reader.size() + reader.pos;
                            if (end2 > reader.len)
                                throw $RangeError("index out of range");
                            reader.len = end2;
                            key = "";
                            value = "";
                            while (reader.pos < end2) {
                                let tag2 = reader.tag();
                                wireType = tag2 & 7;
                                switch (tag2 >>>= 3) {
                                case 1:
                                    if (wireType !== 2)
                                        break;
                                    key = reader.stringVerify();
                                    continue;
                                case 2:
                                    if (wireType !== 2)
                                        break;
                                    value = reader.stringVerify();
                                    continue;
                                }
                                reader.skipType(wireType, _depth, tag2);
                            }
                            if (reader.pos !== end2)
                                throw $RangeError("index out of range");
                            reader.len = end;
                            if (key === "__proto__")
                                $util.makeProp(message.capacity, key);
                            message.capacity[key] = value;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if (message.allocatable === $util.emptyObject)
                                message.allocatable = {};
                            let end2 = reader.size() + reader.pos;
                            if (end2 > reader.len)
                                throw $RangeError("index out of range");
                            reader.len = end2;
                            key = "";
                            value = "";
                            while (reader.pos < end2) {
                                let tag2 = reader.tag();
                                wireType = tag2 & 7;
                                switch (tag2 >>>= 3) {
                                case 1:
                                    if (wireType !== 2)
                                        break;
                                    key = reader.stringVerify();
                                    continue;
                                case 2:
                                    if (wireType !== 2)
                                        break;
                                    value = reader.stringVerify();
                                    continue;
                                }
                                reader.skipType(wireType, _depth, tag2);
                            }
                            if (reader.pos !== end2)
                                throw $RangeError("index out of range");
                            reader.len = end;
                            if (key === "__proto__")
                                $util.makeProp(message.allocatable, key);
                            message.allocatable[key] = value;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if (message.available === $util.emptyObject)
                                message.available = {};
                            let end2 = reader.size() + reader.pos;
                            if (end2 > reader.len)
                                throw $RangeError("index out of range");
                            reader.len = end2;
                            key = "";
                            value = "";
                            while (reader.pos < end2) {
                                let tag2 = reader.tag();
                                wireType = tag2 & 7;
                                switch (tag2 >>>= 3) {
                                case 1:
                                    if (wireType !== 2)
                                        break;
                                    key = reader.stringVerify();
                                    continue;
                                case 2:
                                    if (wireType !== 2)
                                        break;
                                    value = reader.stringVerify();
                                    continue;
                                }
                                reader.skipType(wireType, _depth, tag2);
                            }
                            if (reader.pos !== end2)
                                throw $RangeError("index out of range");
                            reader.len = end;
                            if (key === "__proto__")
                                $util.makeProp(message.available, key);
                            message.available[key] = value;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.nodesReady = value;
                            else
                                delete message.nodesReady;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.nodesTotal = value;
                            else
                                delete message.nodesTotal;
                            continue;
                        }
                    case 7: {
                            if (wireType !== 2)
                                break;
                            if (!(message.services && message.services.length))
                                message.services = [];
                            message.services.push($root.fedgate.v1.ServiceHealth.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    case 8: {
                            if (wireType !== 2)
                                break;
                            if (!(message.nodes && message.nodes.length))
                                message.nodes = [];
                            message.nodes.push($root.fedgate.v1.NodeResources.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Gets the type url for Heartbeat
             * @function getTypeUrl
             * @memberof fedgate.v1.Heartbeat
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            Heartbeat.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/fedgate.v1.Heartbeat";
            };

            return Heartbeat;
        })();

        v1.Pong = (function() {

            /**
             * Properties of a Pong.
             * @typedef {Object} fedgate.v1.Pong.$Properties
             * @property {number|null} [pingSentUnixMs] Pong pingSentUnixMs
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Pong.
             * @memberof fedgate.v1
             * @interface IPong
             * @augments fedgate.v1.Pong.$Properties
             * @deprecated Use fedgate.v1.Pong.$Properties instead.
             */

            /**
             * Shape of a Pong.
             * @typedef {fedgate.v1.Pong.$Properties} fedgate.v1.Pong.$Shape
             */

            /**
             * Constructs a new Pong.
             * @memberof fedgate.v1
             * @classdesc Represents a Pong.
             * @constructor
             * @param {fedgate.v1.Pong.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Pong = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Pong pingSentUnixMs.
             * @member {number} pingSentUnixMs
             * @memberof fedgate.v1.Pong
             * @instance
             */
            Pong.prototype.pingSentUnixMs = 0;

            /**
             * Creates a new Pong instance using the specified properties.
             * @function create
             * @memberof fedgate.v1.Pong
             * @static
             * @param {fedgate.v1.Pong.$Properties=} [properties] Properties to set
             * @returns {fedgate.v1.Pong} Pong instance
             * @type {{
             *   (properties: fedgate.v1.Pong.$Shape): fedgate.v1.Pong & fedgate.v1.Pong.$Shape;
             *   (properties?: fedgate.v1.Pong.$Properties): fedgate.v1.Pong;
             * }}
             */
            Pong.create = function(properties) {
                return new Pong(properties);
            };

            /**
             * Encodes the specified Pong message. Does not implicitly {@link fedgate.v1.Pong.verify|verify} messages.
             * @function encode
             * @memberof fedgate.v1.Pong
             * @static
             * @param {fedgate.v1.Pong.$Properties} message Pong message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Pong.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.pingSentUnixMs != null && $Object.hasOwnProperty.call(message, "pingSentUnixMs") && !$Object.is(message.pingSentUnixMs, 0))
                    writer.uint32(/* id 1, wireType 1 =*/9).double(message.pingSentUnixMs);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a Pong message from the specified reader or buffer.
             * @function decode
             * @memberof fedgate.v1.Pong
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {fedgate.v1.Pong & fedgate.v1.Pong.$Shape} Pong
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Pong.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.fedgate.v1.Pong();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.pingSentUnixMs = value;
                            else
                                delete message.pingSentUnixMs;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Gets the type url for Pong
             * @function getTypeUrl
             * @memberof fedgate.v1.Pong
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            Pong.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/fedgate.v1.Pong";
            };

            return Pong;
        })();

        return v1;
    })();

    return fedgate;
})();

export {
  $root as default
};
