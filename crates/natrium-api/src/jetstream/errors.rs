//! nats-server's JetStream error table (`server/errors.json`), every entry.
//!
//! GENERATED FILE, do not edit. Produced by `crates/natrium-api/tools/gen_jetstream_errors.py`
//! from nats-server's `server/errors.json` at commit 1787eee035cf0253c201fa0f05afad92b6f296dc
//! (226 entries), then `cargo fmt`. Rerun the script to update it.

use super::ApiError;

/// One entry of nats-server's JetStream error table: its HTTP-style `code`, its unique
/// `err_code` and its description template (with `{name}` placeholders).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ApiErrorCode {
    /// `JSAccountResourcesExceededErr` (400, 10002): resource limits exceeded for account
    AccountResourcesExceeded,
    /// `JSBadRequestErr` (400, 10003): bad request
    BadRequest,
    /// `JSClusterIncompleteErr` (503, 10004): incomplete results
    ClusterIncomplete,
    /// `JSClusterNoPeersErrF` (400, 10005): {err}
    ClusterNoPeers,
    /// `JSClusterNotActiveErr` (500, 10006): JetStream not in clustered mode
    ClusterNotActive,
    /// `JSClusterNotAssignedErr` (500, 10007): JetStream cluster not assigned to this server
    ClusterNotAssigned,
    /// `JSClusterNotAvailErr` (503, 10008): JetStream system temporarily unavailable
    ClusterNotAvail,
    /// `JSClusterNotLeaderErr` (500, 10009): JetStream cluster can not handle request
    ClusterNotLeader,
    /// `JSClusterRequiredErr` (503, 10010): JetStream clustering support required
    ClusterRequired,
    /// `JSClusterTagsErr` (400, 10011): tags placement not supported for operation
    ClusterTags,
    /// `JSConsumerCreateErrF` (500, 10012): {err}
    ConsumerCreate,
    /// `JSConsumerNameExistErr` (400, 10013): consumer name already in use
    ConsumerNameExist,
    /// `JSConsumerNotFoundErr` (404, 10014): consumer not found
    ConsumerNotFound,
    /// `JSSnapshotDeliverSubjectInvalidErr` (400, 10015): deliver subject not valid
    SnapshotDeliverSubjectInvalid,
    /// `JSConsumerDurableNameNotInSubjectErr` (400, 10016): consumer expected to be durable but no durable name set in subject
    ConsumerDurableNameNotInSubject,
    /// `JSConsumerDurableNameNotMatchSubjectErr` (400, 10017): consumer name in subject does not match durable name in request
    ConsumerDurableNameNotMatchSubject,
    /// `JSConsumerDurableNameNotSetErr` (400, 10018): consumer expected to be durable but a durable name was not set
    ConsumerDurableNameNotSet,
    /// `JSConsumerEphemeralWithDurableInSubjectErr` (400, 10019): consumer expected to be ephemeral but detected a durable name set in subject
    ConsumerEphemeralWithDurableInSubject,
    /// `JSConsumerEphemeralWithDurableNameErr` (400, 10020): consumer expected to be ephemeral but a durable name was set in request
    ConsumerEphemeralWithDurableName,
    /// `JSStreamExternalApiOverlapErrF` (400, 10021): stream external api prefix {prefix} must not overlap with {subject}
    StreamExternalApiOverlap,
    /// `JSStreamExternalDelPrefixOverlapsErrF` (400, 10022): stream external delivery prefix {prefix} overlaps with stream subject {subject}
    StreamExternalDelPrefixOverlaps,
    /// `JSInsufficientResourcesErr` (503, 10023): insufficient resources
    InsufficientResources,
    /// `JSStreamInvalidExternalDeliverySubjErrF` (400, 10024): stream external delivery prefix {prefix} must not contain wildcards
    StreamInvalidExternalDeliverySubj,
    /// `JSInvalidJSONErr` (400, 10025): invalid JSON: {err}
    InvalidJSON,
    /// `JSMaximumConsumersLimitErr` (400, 10026): maximum consumers limit reached
    MaximumConsumersLimit,
    /// `JSMaximumStreamsLimitErr` (400, 10027): maximum number of streams reached
    MaximumStreamsLimit,
    /// `JSMemoryResourcesExceededErr` (500, 10028): insufficient memory resources available
    MemoryResourcesExceeded,
    /// `JSMirrorConsumerSetupFailedErrF` (500, 10029): {err}
    MirrorConsumerSetupFailed,
    /// `JSMirrorMaxMessageSizeTooBigErr` (400, 10030): stream mirror must have max message size \>= source
    MirrorMaxMessageSizeTooBig,
    /// `JSMirrorWithSourcesErr` (400, 10031): stream mirrors can not also contain other sources
    MirrorWithSources,
    /// `JSMirrorWithStartSeqAndTimeErr` (400, 10032): stream mirrors can not have both start seq and start time configured
    MirrorWithStartSeqAndTime,
    /// `JSMirrorWithSubjectFiltersErr` (400, 10033): stream mirrors can not contain filtered subjects
    MirrorWithSubjectFilters,
    /// `JSMirrorWithSubjectsErr` (400, 10034): stream mirrors can not contain subjects
    MirrorWithSubjects,
    /// `JSNoAccountErr` (503, 10035): account not found
    NoAccount,
    /// `JSClusterUnSupportFeatureErr` (503, 10036): not currently supported in clustered mode
    ClusterUnSupportFeature,
    /// `JSNoMessageFoundErr` (404, 10037): no message found
    NoMessageFound,
    /// `JSNotEmptyRequestErr` (400, 10038): expected an empty request payload
    NotEmptyRequest,
    /// `JSNotEnabledForAccountErr` (503, 10039): JetStream not enabled for account
    NotEnabledForAccount,
    /// `JSClusterPeerNotMemberErr` (400, 10040): peer not a member
    ClusterPeerNotMember,
    /// `JSRaftGeneralErrF` (500, 10041): {err}
    RaftGeneral,
    /// `JSRestoreSubscribeFailedErrF` (500, 10042): JetStream unable to subscribe to restore snapshot {subject}: {err}
    RestoreSubscribeFailed,
    /// `JSSequenceNotFoundErrF` (400, 10043): sequence {seq} not found
    SequenceNotFound,
    /// `JSClusterServerNotMemberErr` (400, 10044): server is not a member of the cluster
    ClusterServerNotMember,
    /// `JSSourceConsumerSetupFailedErrF` (500, 10045): {err}
    SourceConsumerSetupFailed,
    /// `JSSourceMaxMessageSizeTooBigErr` (400, 10046): stream source must have max message size \>= target
    SourceMaxMessageSizeTooBig,
    /// `JSStorageResourcesExceededErr` (500, 10047): insufficient storage resources available
    StorageResourcesExceeded,
    /// `JSStreamAssignmentErrF` (500, 10048): {err}
    StreamAssignment,
    /// `JSStreamCreateErrF` (500, 10049): {err}
    StreamCreate,
    /// `JSStreamDeleteErrF` (500, 10050): {err}
    StreamDelete,
    /// `JSStreamGeneralErrorF` (500, 10051): {err}
    StreamGeneral,
    /// `JSStreamInvalidConfigF` (500, 10052): {err}
    StreamInvalidConfig,
    /// `JSStreamLimitsErrF` (500, 10053): {err}
    StreamLimits,
    /// `JSStreamMessageExceedsMaximumErr` (400, 10054): message size exceeds maximum allowed
    StreamMessageExceedsMaximum,
    /// `JSStreamMirrorNotUpdatableErr` (400, 10055): stream mirror configuration can not be updated
    StreamMirrorNotUpdatable,
    /// `JSStreamMismatchErr` (400, 10056): stream name in subject does not match request
    StreamMismatch,
    /// `JSStreamMsgDeleteFailedF` (500, 10057): {err}
    StreamMsgDeleteFailed,
    /// `JSStreamNameExistErr` (400, 10058): stream name already in use with a different configuration
    StreamNameExist,
    /// `JSStreamNotFoundErr` (404, 10059): stream not found
    StreamNotFound,
    /// `JSStreamNotMatchErr` (400, 10060): expected stream does not match
    StreamNotMatch,
    /// `JSStreamReplicasNotUpdatableErr` (400, 10061): Replicas configuration can not be updated
    StreamReplicasNotUpdatable,
    /// `JSStreamRestoreErrF` (500, 10062): restore failed: {err}
    StreamRestore,
    /// `JSStreamSequenceNotMatchErr` (503, 10063): expected stream sequence does not match
    StreamSequenceNotMatch,
    /// `JSStreamSnapshotErrF` (500, 10064): snapshot failed: {err}
    StreamSnapshot,
    /// `JSStreamSubjectOverlapErr` (400, 10065): subjects overlap with an existing stream
    StreamSubjectOverlap,
    /// `JSStreamTemplateCreateErrF` (500, 10066): {err}
    StreamTemplateCreate,
    /// `JSStreamTemplateDeleteErrF` (500, 10067): {err}
    StreamTemplateDelete,
    /// `JSStreamTemplateNotFoundErr` (404, 10068): template not found
    StreamTemplateNotFound,
    /// `JSStreamUpdateErrF` (500, 10069): {err}
    StreamUpdate,
    /// `JSStreamWrongLastMsgIDErrF` (400, 10070): wrong last msg ID: {id}
    StreamWrongLastMsgID,
    /// `JSStreamWrongLastSequenceErrF` (400, 10071): wrong last sequence: {seq}
    StreamWrongLastSequence,
    /// `JSTempStorageFailedErr` (500, 10072): JetStream unable to open temp storage for restore
    TempStorageFailed,
    /// `JSTemplateNameNotMatchSubjectErr` (400, 10073): template name in subject does not match request
    TemplateNameNotMatchSubject,
    /// `JSStreamReplicasNotSupportedErr` (500, 10074): replicas \> 1 not supported in non-clustered mode
    StreamReplicasNotSupported,
    /// `JSPeerRemapErr` (503, 10075): peer remap failed
    PeerRemap,
    /// `JSNotEnabledErr` (503, 10076): JetStream not enabled
    NotEnabled,
    /// `JSStreamStoreFailedF` (503, 10077): {err}
    StreamStoreFailed,
    /// `JSConsumerConfigRequiredErr` (400, 10078): consumer config required
    ConsumerConfigRequired,
    /// `JSConsumerDeliverToWildcardsErr` (400, 10079): consumer deliver subject has wildcards
    ConsumerDeliverToWildcards,
    /// `JSConsumerPushMaxWaitingErr` (400, 10080): consumer in push mode can not set max waiting
    ConsumerPushMaxWaiting,
    /// `JSConsumerDeliverCycleErr` (400, 10081): consumer deliver subject forms a cycle
    ConsumerDeliverCycle,
    /// `JSConsumerMaxPendingAckPolicyRequiredErr` (400, 10082): consumer requires ack policy for max ack pending
    ConsumerMaxPendingAckPolicyRequired,
    /// `JSConsumerSmallHeartbeatErr` (400, 10083): consumer idle heartbeat needs to be \>= 100ms
    ConsumerSmallHeartbeat,
    /// `JSConsumerPullRequiresAckErr` (400, 10084): consumer in pull mode requires explicit ack policy on workqueue stream
    ConsumerPullRequiresAck,
    /// `JSConsumerPullNotDurableErr` (400, 10085): consumer in pull mode requires a durable name
    ConsumerPullNotDurable,
    /// `JSConsumerPullWithRateLimitErr` (400, 10086): consumer in pull mode can not have rate limit set
    ConsumerPullWithRateLimit,
    /// `JSConsumerMaxWaitingNegativeErr` (400, 10087): consumer max waiting needs to be positive
    ConsumerMaxWaitingNegative,
    /// `JSConsumerHBRequiresPushErr` (400, 10088): consumer idle heartbeat requires a push based consumer
    ConsumerHBRequiresPush,
    /// `JSConsumerFCRequiresPushErr` (400, 10089): consumer flow control requires a push based consumer
    ConsumerFCRequiresPush,
    /// `JSConsumerDirectRequiresPushErr` (400, 10090): consumer direct requires a push based consumer
    ConsumerDirectRequiresPush,
    /// `JSConsumerDirectRequiresEphemeralErr` (400, 10091): consumer direct requires an ephemeral consumer
    ConsumerDirectRequiresEphemeral,
    /// `JSConsumerOnMappedErr` (400, 10092): consumer direct on a mapped consumer
    ConsumerOnMapped,
    /// `JSConsumerFilterNotSubsetErr` (400, 10093): consumer filter subject is not a valid subset of the interest subjects
    ConsumerFilterNotSubset,
    /// `JSConsumerInvalidPolicyErrF` (400, 10094): {err}
    ConsumerInvalidPolicy,
    /// `JSConsumerInvalidSamplingErrF` (400, 10095): failed to parse consumer sampling configuration: {err}
    ConsumerInvalidSampling,
    /// `JSStreamInvalidErr` (500, 10096): stream not valid
    StreamInvalid,
    /// `JSStreamHeaderExceedsMaximumErr` (400, 10097): header size exceeds maximum allowed of 64k
    StreamHeaderExceedsMaximum,
    /// `JSConsumerWQRequiresExplicitAckErr` (400, 10098): workqueue stream requires explicit ack
    ConsumerWQRequiresExplicitAck,
    /// `JSConsumerWQMultipleUnfilteredErr` (400, 10099): multiple non-filtered consumers not allowed on workqueue stream
    ConsumerWQMultipleUnfiltered,
    /// `JSConsumerWQConsumerNotUniqueErr` (400, 10100): filtered consumer not unique on workqueue stream
    ConsumerWQConsumerNotUnique,
    /// `JSConsumerWQConsumerNotDeliverAllErr` (400, 10101): consumer must be deliver all on workqueue stream
    ConsumerWQConsumerNotDeliverAll,
    /// `JSConsumerNameTooLongErrF` (400, 10102): consumer name is too long, maximum allowed is {max}
    ConsumerNameTooLong,
    /// `JSConsumerBadDurableNameErr` (400, 10103): durable name can not contain '.', '*', '\>'
    ConsumerBadDurableName,
    /// `JSConsumerStoreFailedErrF` (500, 10104): error creating store for consumer: {err}
    ConsumerStoreFailed,
    /// `JSConsumerExistingActiveErr` (400, 10105): consumer already exists and is still active
    ConsumerExistingActive,
    /// `JSConsumerReplacementWithDifferentNameErr` (400, 10106): consumer replacement durable config not the same
    ConsumerReplacementWithDifferentName,
    /// `JSConsumerDescriptionTooLongErrF` (400, 10107): consumer description is too long, maximum allowed is {max}
    ConsumerDescriptionTooLong,
    /// `JSConsumerWithFlowControlNeedsHeartbeats` (400, 10108): consumer with flow control also needs heartbeats
    ConsumerWithFlowControlNeedsHeartbeats,
    /// `JSStreamSealedErr` (400, 10109): invalid operation on sealed stream
    StreamSealed,
    /// `JSStreamPurgeFailedF` (500, 10110): {err}
    StreamPurgeFailed,
    /// `JSStreamRollupFailedF` (500, 10111): {err}
    StreamRollupFailed,
    /// `JSConsumerInvalidDeliverSubject` (400, 10112): invalid push consumer deliver subject
    ConsumerInvalidDeliverSubject,
    /// `JSStreamMaxBytesRequired` (400, 10113): account requires a stream config to have max bytes set
    StreamMaxBytesRequired,
    /// `JSConsumerMaxRequestBatchNegativeErr` (400, 10114): consumer max request batch needs to be \> 0
    ConsumerMaxRequestBatchNegative,
    /// `JSConsumerMaxRequestExpiresTooSmall` (400, 10115): consumer max request expires needs to be \>= 1ms
    ConsumerMaxRequestExpiresTooSmall,
    /// `JSConsumerMaxDeliverBackoffErr` (400, 10116): max deliver is required to be \> length of backoff values
    ConsumerMaxDeliverBackoff,
    /// `JSStreamInfoMaxSubjectsErr` (500, 10117): subject details would exceed maximum allowed
    StreamInfoMaxSubjects,
    /// `JSStreamOfflineErr` (500, 10118): stream is offline
    StreamOffline,
    /// `JSConsumerOfflineErr` (500, 10119): consumer is offline
    ConsumerOffline,
    /// `JSNoLimitsErr` (400, 10120): no JetStream default or applicable tiered limit present
    NoLimits,
    /// `JSConsumerMaxPendingAckExcessErrF` (400, 10121): consumer max ack pending exceeds system limit of {limit}
    ConsumerMaxPendingAckExcess,
    /// `JSStreamMaxStreamBytesExceeded` (400, 10122): stream max bytes exceeds account limit max stream bytes
    StreamMaxStreamBytesExceeded,
    /// `JSStreamMoveAndScaleErr` (400, 10123): can not move and scale a stream in a single update
    StreamMoveAndScale,
    /// `JSStreamMoveInProgressErr` (400, 10124): stream move already in progress
    StreamMoveInProgress,
    /// `JSConsumerMaxRequestBatchExceededF` (400, 10125): consumer max request batch exceeds server limit of {limit}
    ConsumerMaxRequestBatchExceeded,
    /// `JSConsumerReplicasExceedsStream` (400, 10126): consumer config replica count exceeds parent stream
    ConsumerReplicasExceedsStream,
    /// `JSConsumerNameContainsPathSeparatorsErr` (400, 10127): Consumer name can not contain path separators
    ConsumerNameContainsPathSeparators,
    /// `JSStreamNameContainsPathSeparatorsErr` (400, 10128): Stream name can not contain path separators
    StreamNameContainsPathSeparators,
    /// `JSStreamReconfigureNotInProgressErr` (400, 10129): stream reconfiguration not in progress
    StreamReconfigureNotInProgress,
    /// `JSStreamNameExistRestoreFailedErr` (400, 10130): stream name already in use, cannot restore
    StreamNameExistRestoreFailed,
    /// `JSConsumerCreateFilterSubjectMismatchErr` (400, 10131): Consumer create request did not match filtered subject from create subject
    ConsumerCreateFilterSubjectMismatch,
    /// `JSConsumerCreateDurableAndNameMismatch` (400, 10132): Consumer Durable and Name have to be equal if both are provided
    ConsumerCreateDurableAndNameMismatch,
    /// `JSReplicasCountCannotBeNegative` (400, 10133): replicas count cannot be negative
    ReplicasCountCannotBeNegative,
    /// `JSConsumerReplicasShouldMatchStream` (400, 10134): consumer config replicas must match interest retention stream's replicas
    ConsumerReplicasShouldMatchStream,
    /// `JSConsumerMetadataLengthErrF` (400, 10135): consumer metadata exceeds maximum size of {limit}
    ConsumerMetadataLength,
    /// `JSConsumerDuplicateFilterSubjects` (400, 10136): consumer cannot have both FilterSubject and FilterSubjects specified
    ConsumerDuplicateFilterSubjects,
    /// `JSConsumerMultipleFiltersNotAllowed` (400, 10137): consumer with multiple subject filters cannot use subject based API
    ConsumerMultipleFiltersNotAllowed,
    /// `JSConsumerOverlappingSubjectFilters` (400, 10138): consumer subject filters cannot overlap
    ConsumerOverlappingSubjectFilters,
    /// `JSConsumerEmptyFilter` (400, 10139): consumer filter in FilterSubjects cannot be empty
    ConsumerEmptyFilter,
    /// `JSSourceDuplicateDetected` (400, 10140): duplicate source configuration detected
    SourceDuplicateDetected,
    /// `JSSourceInvalidStreamName` (400, 10141): sourced stream name is invalid
    SourceInvalidStreamName,
    /// `JSMirrorInvalidStreamName` (400, 10142): mirrored stream name is invalid
    MirrorInvalidStreamName,
    /// `JSMirrorWithFirstSeqErr` (400, 10143): stream mirrors can not have first sequence configured
    MirrorWithFirstSeq,
    /// `JSSourceMultipleFiltersNotAllowed` (400, 10144): source with multiple subject transforms cannot also have a single subject filter
    SourceMultipleFiltersNotAllowed,
    /// `JSSourceInvalidSubjectFilter` (400, 10145): source transform source: {err}
    SourceInvalidSubjectFilter,
    /// `JSSourceInvalidTransformDestination` (400, 10146): source transform: {err}
    SourceInvalidTransformDestination,
    /// `JSSourceOverlappingSubjectFilters` (400, 10147): source filters can not overlap
    SourceOverlappingSubjectFilters,
    /// `JSConsumerAlreadyExists` (400, 10148): consumer already exists
    ConsumerAlreadyExists,
    /// `JSConsumerDoesNotExist` (400, 10149): consumer does not exist
    ConsumerDoesNotExist,
    /// `JSMirrorMultipleFiltersNotAllowed` (400, 10150): mirror with multiple subject transforms cannot also have a single subject filter
    MirrorMultipleFiltersNotAllowed,
    /// `JSMirrorInvalidSubjectFilter` (400, 10151): mirror transform source: {err}
    MirrorInvalidSubjectFilter,
    /// `JSMirrorOverlappingSubjectFilters` (400, 10152): mirror subject filters can not overlap
    MirrorOverlappingSubjectFilters,
    /// `JSConsumerInactiveThresholdExcess` (400, 10153): consumer inactive threshold exceeds system limit of {limit}
    ConsumerInactiveThresholdExcess,
    /// `JSMirrorInvalidTransformDestination` (400, 10154): mirror transform: {err}
    MirrorInvalidTransformDestination,
    /// `JSStreamTransformInvalidSource` (400, 10155): stream transform source: {err}
    StreamTransformInvalidSource,
    /// `JSStreamTransformInvalidDestination` (400, 10156): stream transform: {err}
    StreamTransformInvalidDestination,
    /// `JSPedanticErrF` (400, 10157): pedantic mode: {err}
    Pedantic,
    /// `JSStreamDuplicateMessageConflict` (409, 10158): duplicate message id is in process
    StreamDuplicateMessageConflict,
    /// `JSConsumerPriorityPolicyWithoutGroup` (400, 10159): Setting PriorityPolicy requires at least one PriorityGroup to be set
    ConsumerPriorityPolicyWithoutGroup,
    /// `JSConsumerInvalidPriorityGroupErr` (400, 10160): Provided priority group does not exist for this consumer
    ConsumerInvalidPriorityGroup,
    /// `JSConsumerEmptyGroupName` (400, 10161): Group name cannot be an empty string
    ConsumerEmptyGroupName,
    /// `JSConsumerInvalidGroupNameErr` (400, 10162): Valid priority group name must match A-Z, a-z, 0-9, -_/=)+ and may not exceed 16 characters
    ConsumerInvalidGroupName,
    /// `JSStreamExpectedLastSeqPerSubjectNotReady` (503, 10163): expected last sequence per subject temporarily unavailable
    StreamExpectedLastSeqPerSubjectNotReady,
    /// `JSStreamWrongLastSequenceConstantErr` (400, 10164): wrong last sequence
    StreamWrongLastSequenceConstant,
    /// `JSMessageTTLInvalidErr` (400, 10165): invalid per-message TTL
    MessageTTLInvalid,
    /// `JSMessageTTLDisabledErr` (400, 10166): per-message TTL is disabled
    MessageTTLDisabled,
    /// `JSStreamTooManyRequests` (429, 10167): too many requests
    StreamTooManyRequests,
    /// `JSMessageIncrDisabledErr` (400, 10168): message counters is disabled
    MessageIncrDisabled,
    /// `JSMessageIncrMissingErr` (400, 10169): message counter increment is missing
    MessageIncrMissing,
    /// `JSMessageIncrPayloadErr` (400, 10170): message counter has payload
    MessageIncrPayload,
    /// `JSMessageIncrInvalidErr` (400, 10171): message counter increment is invalid
    MessageIncrInvalid,
    /// `JSMessageCounterBrokenErr` (400, 10172): message counter is broken
    MessageCounterBroken,
    /// `JSMirrorWithCountersErr` (400, 10173): stream mirrors can not also calculate counters
    MirrorWithCounters,
    /// `JSAtomicPublishDisabledErr` (400, 10174): atomic publish is disabled
    AtomicPublishDisabled,
    /// `JSAtomicPublishMissingSeqErr` (400, 10175): atomic publish sequence is missing
    AtomicPublishMissingSeq,
    /// `JSAtomicPublishIncompleteBatchErr` (400, 10176): atomic publish batch is incomplete
    AtomicPublishIncompleteBatch,
    /// `JSAtomicPublishUnsupportedHeaderBatchErr` (400, 10177): atomic publish unsupported header used: {header}
    AtomicPublishUnsupportedHeaderBatch,
    /// `JSConsumerPushWithPriorityGroupErr` (400, 10178): priority groups can not be used with push consumers
    ConsumerPushWithPriorityGroup,
    /// `JSAtomicPublishInvalidBatchIDErr` (400, 10179): atomic publish batch ID is invalid
    AtomicPublishInvalidBatchID,
    /// `JSStreamMinLastSeqErr` (412, 10180): min last sequence
    StreamMinLastSeq,
    /// `JSConsumerAckPolicyInvalidErr` (400, 10181): consumer ack policy invalid
    ConsumerAckPolicyInvalid,
    /// `JSConsumerReplayPolicyInvalidErr` (400, 10182): consumer replay policy invalid
    ConsumerReplayPolicyInvalid,
    /// `JSConsumerAckWaitNegativeErr` (400, 10183): consumer ack wait needs to be positive
    ConsumerAckWaitNegative,
    /// `JSConsumerBackOffNegativeErr` (400, 10184): consumer backoff needs to be positive
    ConsumerBackOffNegative,
    /// `JSRequiredApiLevelErr` (412, 10185): JetStream minimum api level required
    RequiredApiLevel,
    /// `JSMirrorWithMsgSchedulesErr` (400, 10186): stream mirrors can not also schedule messages
    MirrorWithMsgSchedules,
    /// `JSSourceWithMsgSchedulesErr` (400, 10187): stream source can not also schedule messages
    SourceWithMsgSchedules,
    /// `JSMessageSchedulesDisabledErr` (400, 10188): message schedules is disabled
    MessageSchedulesDisabled,
    /// `JSMessageSchedulesPatternInvalidErr` (400, 10189): message schedules pattern is invalid
    MessageSchedulesPatternInvalid,
    /// `JSMessageSchedulesTargetInvalidErr` (400, 10190): message schedules target is invalid
    MessageSchedulesTargetInvalid,
    /// `JSMessageSchedulesTTLInvalidErr` (400, 10191): message schedules invalid per-message TTL
    MessageSchedulesTTLInvalid,
    /// `JSMessageSchedulesRollupInvalidErr` (400, 10192): message schedules invalid rollup
    MessageSchedulesRollupInvalid,
    /// `JSStreamExpectedLastSeqPerSubjectInvalid` (400, 10193): missing sequence for expected last sequence per subject
    StreamExpectedLastSeqPerSubjectInvalid,
    /// `JSStreamOfflineReasonErrF` (500, 10194): stream is offline: {err}
    StreamOfflineReason,
    /// `JSConsumerOfflineReasonErrF` (500, 10195): consumer is offline: {err}
    ConsumerOfflineReason,
    /// `JSConsumerPriorityGroupWithPolicyNone` (400, 10196): consumer can not have priority groups when policy is none
    ConsumerPriorityGroupWithPolicyNone,
    /// `JSConsumerPinnedTTLWithoutPriorityPolicyNone` (400, 10197): PinnedTTL cannot be set when PriorityPolicy is none
    ConsumerPinnedTTLWithoutPriorityPolicyNone,
    /// `JSMirrorWithAtomicPublishErr` (400, 10198): stream mirrors can not also use atomic publishing
    MirrorWithAtomicPublish,
    /// `JSAtomicPublishTooLargeBatchErrF` (400, 10199): atomic publish batch is too large: {size}
    AtomicPublishTooLargeBatch,
    /// `JSAtomicPublishInvalidBatchCommitErr` (400, 10200): atomic publish batch commit is invalid
    AtomicPublishInvalidBatchCommit,
    /// `JSAtomicPublishContainsDuplicateMessageErr` (400, 10201): atomic publish batch contains duplicate message id
    AtomicPublishContainsDuplicateMessage,
    /// `JSClusterServerMemberChangeInflightErr` (400, 10202): cluster member change is in progress
    ClusterServerMemberChangeInflight,
    /// `JSMessageSchedulesSourceInvalidErr` (400, 10203): message schedules source is invalid
    MessageSchedulesSourceInvalid,
    /// `JSConsumerInvalidResetErr` (400, 10204): invalid reset: {err}
    ConsumerInvalidReset,
    /// `JSBatchPublishDisabledErr` (400, 10205): batch publish is disabled
    BatchPublishDisabled,
    /// `JSBatchPublishInvalidPatternErr` (400, 10206): batch publish pattern is invalid
    BatchPublishInvalidPattern,
    /// `JSBatchPublishInvalidBatchIDErr` (400, 10207): batch publish ID is invalid
    BatchPublishInvalidBatchID,
    /// `JSBatchPublishUnknownBatchIDErr` (400, 10208): batch publish ID unknown
    BatchPublishUnknownBatchID,
    /// `JSMirrorWithBatchPublishErr` (400, 10209): stream mirrors can not also use batch publishing
    MirrorWithBatchPublish,
    /// `JSAtomicPublishTooManyInflight` (429, 10210): atomic publish too many inflight
    AtomicPublishTooManyInflight,
    /// `JSBatchPublishTooManyInflight` (429, 10211): batch publish too many inflight
    BatchPublishTooManyInflight,
    /// `JSMessageSchedulesSchedulerInvalidErr` (400, 10212): message schedules invalid scheduler
    MessageSchedulesSchedulerInvalid,
    /// `JSMirrorDurableConsumerCfgInvalid` (400, 10213): stream mirror consumer config is invalid
    MirrorDurableConsumerCfgInvalid,
    /// `JSMirrorConsumerRequiresAckFCErr` (400, 10214): stream mirror consumer requires flow control ack policy
    MirrorConsumerRequiresAckFC,
    /// `JSSourceDurableConsumerCfgInvalid` (400, 10215): stream source consumer config is invalid
    SourceDurableConsumerCfgInvalid,
    /// `JSSourceDurableConsumerDuplicateDetected` (400, 10216): duplicate stream source consumer detected
    SourceDurableConsumerDuplicateDetected,
    /// `JSSourceConsumerRequiresAckFCErr` (400, 10217): stream source consumer requires flow control ack policy
    SourceConsumerRequiresAckFC,
    /// `JSConsumerAckFCRequiresPushErr` (400, 10218): flow control ack policy requires a push based consumer
    ConsumerAckFCRequiresPush,
    /// `JSConsumerAckFCRequiresFCErr` (400, 10219): flow control ack policy requires flow control
    ConsumerAckFCRequiresFC,
    /// `JSConsumerAckFCRequiresMaxAckPendingErr` (400, 10220): flow control ack policy requires max ack pending
    ConsumerAckFCRequiresMaxAckPending,
    /// `JSConsumerAckFCRequiresNoAckWaitErr` (400, 10221): flow control ack policy requires unset ack wait
    ConsumerAckFCRequiresNoAckWait,
    /// `JSConsumerAckFCRequiresNoMaxDeliverErr` (400, 10222): flow control ack policy requires unset max deliver
    ConsumerAckFCRequiresNoMaxDeliver,
    /// `JSMessageSchedulesTimeZoneInvalidErr` (400, 10223): message schedules time zone is invalid
    MessageSchedulesTimeZoneInvalid,
    /// `JSClusterRescueErr` (400, 10224): JetStream system rescue not applied: {err}
    ClusterRescue,
    /// `JSConsumerStreamIdentityMismatchF` (400, 10225): consumer's stream identity does not match: {msg}
    ConsumerStreamIdentityMismatch,
    /// `JSStreamReconfigureInProgressErr` (400, 10226): stream reconfiguration already in progress
    StreamReconfigureInProgress,
    /// `JSMessageSourceHdrNotAllowedErr` (400, 10227): message stream source header is not allowed
    MessageSourceHdrNotAllowed,
}

impl ApiErrorCode {
    /// Every entry, by ascending `err_code`.
    pub const ALL: [ApiErrorCode; 226] = [
        ApiErrorCode::AccountResourcesExceeded,
        ApiErrorCode::BadRequest,
        ApiErrorCode::ClusterIncomplete,
        ApiErrorCode::ClusterNoPeers,
        ApiErrorCode::ClusterNotActive,
        ApiErrorCode::ClusterNotAssigned,
        ApiErrorCode::ClusterNotAvail,
        ApiErrorCode::ClusterNotLeader,
        ApiErrorCode::ClusterRequired,
        ApiErrorCode::ClusterTags,
        ApiErrorCode::ConsumerCreate,
        ApiErrorCode::ConsumerNameExist,
        ApiErrorCode::ConsumerNotFound,
        ApiErrorCode::SnapshotDeliverSubjectInvalid,
        ApiErrorCode::ConsumerDurableNameNotInSubject,
        ApiErrorCode::ConsumerDurableNameNotMatchSubject,
        ApiErrorCode::ConsumerDurableNameNotSet,
        ApiErrorCode::ConsumerEphemeralWithDurableInSubject,
        ApiErrorCode::ConsumerEphemeralWithDurableName,
        ApiErrorCode::StreamExternalApiOverlap,
        ApiErrorCode::StreamExternalDelPrefixOverlaps,
        ApiErrorCode::InsufficientResources,
        ApiErrorCode::StreamInvalidExternalDeliverySubj,
        ApiErrorCode::InvalidJSON,
        ApiErrorCode::MaximumConsumersLimit,
        ApiErrorCode::MaximumStreamsLimit,
        ApiErrorCode::MemoryResourcesExceeded,
        ApiErrorCode::MirrorConsumerSetupFailed,
        ApiErrorCode::MirrorMaxMessageSizeTooBig,
        ApiErrorCode::MirrorWithSources,
        ApiErrorCode::MirrorWithStartSeqAndTime,
        ApiErrorCode::MirrorWithSubjectFilters,
        ApiErrorCode::MirrorWithSubjects,
        ApiErrorCode::NoAccount,
        ApiErrorCode::ClusterUnSupportFeature,
        ApiErrorCode::NoMessageFound,
        ApiErrorCode::NotEmptyRequest,
        ApiErrorCode::NotEnabledForAccount,
        ApiErrorCode::ClusterPeerNotMember,
        ApiErrorCode::RaftGeneral,
        ApiErrorCode::RestoreSubscribeFailed,
        ApiErrorCode::SequenceNotFound,
        ApiErrorCode::ClusterServerNotMember,
        ApiErrorCode::SourceConsumerSetupFailed,
        ApiErrorCode::SourceMaxMessageSizeTooBig,
        ApiErrorCode::StorageResourcesExceeded,
        ApiErrorCode::StreamAssignment,
        ApiErrorCode::StreamCreate,
        ApiErrorCode::StreamDelete,
        ApiErrorCode::StreamGeneral,
        ApiErrorCode::StreamInvalidConfig,
        ApiErrorCode::StreamLimits,
        ApiErrorCode::StreamMessageExceedsMaximum,
        ApiErrorCode::StreamMirrorNotUpdatable,
        ApiErrorCode::StreamMismatch,
        ApiErrorCode::StreamMsgDeleteFailed,
        ApiErrorCode::StreamNameExist,
        ApiErrorCode::StreamNotFound,
        ApiErrorCode::StreamNotMatch,
        ApiErrorCode::StreamReplicasNotUpdatable,
        ApiErrorCode::StreamRestore,
        ApiErrorCode::StreamSequenceNotMatch,
        ApiErrorCode::StreamSnapshot,
        ApiErrorCode::StreamSubjectOverlap,
        ApiErrorCode::StreamTemplateCreate,
        ApiErrorCode::StreamTemplateDelete,
        ApiErrorCode::StreamTemplateNotFound,
        ApiErrorCode::StreamUpdate,
        ApiErrorCode::StreamWrongLastMsgID,
        ApiErrorCode::StreamWrongLastSequence,
        ApiErrorCode::TempStorageFailed,
        ApiErrorCode::TemplateNameNotMatchSubject,
        ApiErrorCode::StreamReplicasNotSupported,
        ApiErrorCode::PeerRemap,
        ApiErrorCode::NotEnabled,
        ApiErrorCode::StreamStoreFailed,
        ApiErrorCode::ConsumerConfigRequired,
        ApiErrorCode::ConsumerDeliverToWildcards,
        ApiErrorCode::ConsumerPushMaxWaiting,
        ApiErrorCode::ConsumerDeliverCycle,
        ApiErrorCode::ConsumerMaxPendingAckPolicyRequired,
        ApiErrorCode::ConsumerSmallHeartbeat,
        ApiErrorCode::ConsumerPullRequiresAck,
        ApiErrorCode::ConsumerPullNotDurable,
        ApiErrorCode::ConsumerPullWithRateLimit,
        ApiErrorCode::ConsumerMaxWaitingNegative,
        ApiErrorCode::ConsumerHBRequiresPush,
        ApiErrorCode::ConsumerFCRequiresPush,
        ApiErrorCode::ConsumerDirectRequiresPush,
        ApiErrorCode::ConsumerDirectRequiresEphemeral,
        ApiErrorCode::ConsumerOnMapped,
        ApiErrorCode::ConsumerFilterNotSubset,
        ApiErrorCode::ConsumerInvalidPolicy,
        ApiErrorCode::ConsumerInvalidSampling,
        ApiErrorCode::StreamInvalid,
        ApiErrorCode::StreamHeaderExceedsMaximum,
        ApiErrorCode::ConsumerWQRequiresExplicitAck,
        ApiErrorCode::ConsumerWQMultipleUnfiltered,
        ApiErrorCode::ConsumerWQConsumerNotUnique,
        ApiErrorCode::ConsumerWQConsumerNotDeliverAll,
        ApiErrorCode::ConsumerNameTooLong,
        ApiErrorCode::ConsumerBadDurableName,
        ApiErrorCode::ConsumerStoreFailed,
        ApiErrorCode::ConsumerExistingActive,
        ApiErrorCode::ConsumerReplacementWithDifferentName,
        ApiErrorCode::ConsumerDescriptionTooLong,
        ApiErrorCode::ConsumerWithFlowControlNeedsHeartbeats,
        ApiErrorCode::StreamSealed,
        ApiErrorCode::StreamPurgeFailed,
        ApiErrorCode::StreamRollupFailed,
        ApiErrorCode::ConsumerInvalidDeliverSubject,
        ApiErrorCode::StreamMaxBytesRequired,
        ApiErrorCode::ConsumerMaxRequestBatchNegative,
        ApiErrorCode::ConsumerMaxRequestExpiresTooSmall,
        ApiErrorCode::ConsumerMaxDeliverBackoff,
        ApiErrorCode::StreamInfoMaxSubjects,
        ApiErrorCode::StreamOffline,
        ApiErrorCode::ConsumerOffline,
        ApiErrorCode::NoLimits,
        ApiErrorCode::ConsumerMaxPendingAckExcess,
        ApiErrorCode::StreamMaxStreamBytesExceeded,
        ApiErrorCode::StreamMoveAndScale,
        ApiErrorCode::StreamMoveInProgress,
        ApiErrorCode::ConsumerMaxRequestBatchExceeded,
        ApiErrorCode::ConsumerReplicasExceedsStream,
        ApiErrorCode::ConsumerNameContainsPathSeparators,
        ApiErrorCode::StreamNameContainsPathSeparators,
        ApiErrorCode::StreamReconfigureNotInProgress,
        ApiErrorCode::StreamNameExistRestoreFailed,
        ApiErrorCode::ConsumerCreateFilterSubjectMismatch,
        ApiErrorCode::ConsumerCreateDurableAndNameMismatch,
        ApiErrorCode::ReplicasCountCannotBeNegative,
        ApiErrorCode::ConsumerReplicasShouldMatchStream,
        ApiErrorCode::ConsumerMetadataLength,
        ApiErrorCode::ConsumerDuplicateFilterSubjects,
        ApiErrorCode::ConsumerMultipleFiltersNotAllowed,
        ApiErrorCode::ConsumerOverlappingSubjectFilters,
        ApiErrorCode::ConsumerEmptyFilter,
        ApiErrorCode::SourceDuplicateDetected,
        ApiErrorCode::SourceInvalidStreamName,
        ApiErrorCode::MirrorInvalidStreamName,
        ApiErrorCode::MirrorWithFirstSeq,
        ApiErrorCode::SourceMultipleFiltersNotAllowed,
        ApiErrorCode::SourceInvalidSubjectFilter,
        ApiErrorCode::SourceInvalidTransformDestination,
        ApiErrorCode::SourceOverlappingSubjectFilters,
        ApiErrorCode::ConsumerAlreadyExists,
        ApiErrorCode::ConsumerDoesNotExist,
        ApiErrorCode::MirrorMultipleFiltersNotAllowed,
        ApiErrorCode::MirrorInvalidSubjectFilter,
        ApiErrorCode::MirrorOverlappingSubjectFilters,
        ApiErrorCode::ConsumerInactiveThresholdExcess,
        ApiErrorCode::MirrorInvalidTransformDestination,
        ApiErrorCode::StreamTransformInvalidSource,
        ApiErrorCode::StreamTransformInvalidDestination,
        ApiErrorCode::Pedantic,
        ApiErrorCode::StreamDuplicateMessageConflict,
        ApiErrorCode::ConsumerPriorityPolicyWithoutGroup,
        ApiErrorCode::ConsumerInvalidPriorityGroup,
        ApiErrorCode::ConsumerEmptyGroupName,
        ApiErrorCode::ConsumerInvalidGroupName,
        ApiErrorCode::StreamExpectedLastSeqPerSubjectNotReady,
        ApiErrorCode::StreamWrongLastSequenceConstant,
        ApiErrorCode::MessageTTLInvalid,
        ApiErrorCode::MessageTTLDisabled,
        ApiErrorCode::StreamTooManyRequests,
        ApiErrorCode::MessageIncrDisabled,
        ApiErrorCode::MessageIncrMissing,
        ApiErrorCode::MessageIncrPayload,
        ApiErrorCode::MessageIncrInvalid,
        ApiErrorCode::MessageCounterBroken,
        ApiErrorCode::MirrorWithCounters,
        ApiErrorCode::AtomicPublishDisabled,
        ApiErrorCode::AtomicPublishMissingSeq,
        ApiErrorCode::AtomicPublishIncompleteBatch,
        ApiErrorCode::AtomicPublishUnsupportedHeaderBatch,
        ApiErrorCode::ConsumerPushWithPriorityGroup,
        ApiErrorCode::AtomicPublishInvalidBatchID,
        ApiErrorCode::StreamMinLastSeq,
        ApiErrorCode::ConsumerAckPolicyInvalid,
        ApiErrorCode::ConsumerReplayPolicyInvalid,
        ApiErrorCode::ConsumerAckWaitNegative,
        ApiErrorCode::ConsumerBackOffNegative,
        ApiErrorCode::RequiredApiLevel,
        ApiErrorCode::MirrorWithMsgSchedules,
        ApiErrorCode::SourceWithMsgSchedules,
        ApiErrorCode::MessageSchedulesDisabled,
        ApiErrorCode::MessageSchedulesPatternInvalid,
        ApiErrorCode::MessageSchedulesTargetInvalid,
        ApiErrorCode::MessageSchedulesTTLInvalid,
        ApiErrorCode::MessageSchedulesRollupInvalid,
        ApiErrorCode::StreamExpectedLastSeqPerSubjectInvalid,
        ApiErrorCode::StreamOfflineReason,
        ApiErrorCode::ConsumerOfflineReason,
        ApiErrorCode::ConsumerPriorityGroupWithPolicyNone,
        ApiErrorCode::ConsumerPinnedTTLWithoutPriorityPolicyNone,
        ApiErrorCode::MirrorWithAtomicPublish,
        ApiErrorCode::AtomicPublishTooLargeBatch,
        ApiErrorCode::AtomicPublishInvalidBatchCommit,
        ApiErrorCode::AtomicPublishContainsDuplicateMessage,
        ApiErrorCode::ClusterServerMemberChangeInflight,
        ApiErrorCode::MessageSchedulesSourceInvalid,
        ApiErrorCode::ConsumerInvalidReset,
        ApiErrorCode::BatchPublishDisabled,
        ApiErrorCode::BatchPublishInvalidPattern,
        ApiErrorCode::BatchPublishInvalidBatchID,
        ApiErrorCode::BatchPublishUnknownBatchID,
        ApiErrorCode::MirrorWithBatchPublish,
        ApiErrorCode::AtomicPublishTooManyInflight,
        ApiErrorCode::BatchPublishTooManyInflight,
        ApiErrorCode::MessageSchedulesSchedulerInvalid,
        ApiErrorCode::MirrorDurableConsumerCfgInvalid,
        ApiErrorCode::MirrorConsumerRequiresAckFC,
        ApiErrorCode::SourceDurableConsumerCfgInvalid,
        ApiErrorCode::SourceDurableConsumerDuplicateDetected,
        ApiErrorCode::SourceConsumerRequiresAckFC,
        ApiErrorCode::ConsumerAckFCRequiresPush,
        ApiErrorCode::ConsumerAckFCRequiresFC,
        ApiErrorCode::ConsumerAckFCRequiresMaxAckPending,
        ApiErrorCode::ConsumerAckFCRequiresNoAckWait,
        ApiErrorCode::ConsumerAckFCRequiresNoMaxDeliver,
        ApiErrorCode::MessageSchedulesTimeZoneInvalid,
        ApiErrorCode::ClusterRescue,
        ApiErrorCode::ConsumerStreamIdentityMismatch,
        ApiErrorCode::StreamReconfigureInProgress,
        ApiErrorCode::MessageSourceHdrNotAllowed,
    ];

    /// The HTTP-style status (`code` in the JSON).
    pub const fn code(self) -> u16 {
        match self {
            ApiErrorCode::AccountResourcesExceeded => 400,
            ApiErrorCode::BadRequest => 400,
            ApiErrorCode::ClusterIncomplete => 503,
            ApiErrorCode::ClusterNoPeers => 400,
            ApiErrorCode::ClusterNotActive => 500,
            ApiErrorCode::ClusterNotAssigned => 500,
            ApiErrorCode::ClusterNotAvail => 503,
            ApiErrorCode::ClusterNotLeader => 500,
            ApiErrorCode::ClusterRequired => 503,
            ApiErrorCode::ClusterTags => 400,
            ApiErrorCode::ConsumerCreate => 500,
            ApiErrorCode::ConsumerNameExist => 400,
            ApiErrorCode::ConsumerNotFound => 404,
            ApiErrorCode::SnapshotDeliverSubjectInvalid => 400,
            ApiErrorCode::ConsumerDurableNameNotInSubject => 400,
            ApiErrorCode::ConsumerDurableNameNotMatchSubject => 400,
            ApiErrorCode::ConsumerDurableNameNotSet => 400,
            ApiErrorCode::ConsumerEphemeralWithDurableInSubject => 400,
            ApiErrorCode::ConsumerEphemeralWithDurableName => 400,
            ApiErrorCode::StreamExternalApiOverlap => 400,
            ApiErrorCode::StreamExternalDelPrefixOverlaps => 400,
            ApiErrorCode::InsufficientResources => 503,
            ApiErrorCode::StreamInvalidExternalDeliverySubj => 400,
            ApiErrorCode::InvalidJSON => 400,
            ApiErrorCode::MaximumConsumersLimit => 400,
            ApiErrorCode::MaximumStreamsLimit => 400,
            ApiErrorCode::MemoryResourcesExceeded => 500,
            ApiErrorCode::MirrorConsumerSetupFailed => 500,
            ApiErrorCode::MirrorMaxMessageSizeTooBig => 400,
            ApiErrorCode::MirrorWithSources => 400,
            ApiErrorCode::MirrorWithStartSeqAndTime => 400,
            ApiErrorCode::MirrorWithSubjectFilters => 400,
            ApiErrorCode::MirrorWithSubjects => 400,
            ApiErrorCode::NoAccount => 503,
            ApiErrorCode::ClusterUnSupportFeature => 503,
            ApiErrorCode::NoMessageFound => 404,
            ApiErrorCode::NotEmptyRequest => 400,
            ApiErrorCode::NotEnabledForAccount => 503,
            ApiErrorCode::ClusterPeerNotMember => 400,
            ApiErrorCode::RaftGeneral => 500,
            ApiErrorCode::RestoreSubscribeFailed => 500,
            ApiErrorCode::SequenceNotFound => 400,
            ApiErrorCode::ClusterServerNotMember => 400,
            ApiErrorCode::SourceConsumerSetupFailed => 500,
            ApiErrorCode::SourceMaxMessageSizeTooBig => 400,
            ApiErrorCode::StorageResourcesExceeded => 500,
            ApiErrorCode::StreamAssignment => 500,
            ApiErrorCode::StreamCreate => 500,
            ApiErrorCode::StreamDelete => 500,
            ApiErrorCode::StreamGeneral => 500,
            ApiErrorCode::StreamInvalidConfig => 500,
            ApiErrorCode::StreamLimits => 500,
            ApiErrorCode::StreamMessageExceedsMaximum => 400,
            ApiErrorCode::StreamMirrorNotUpdatable => 400,
            ApiErrorCode::StreamMismatch => 400,
            ApiErrorCode::StreamMsgDeleteFailed => 500,
            ApiErrorCode::StreamNameExist => 400,
            ApiErrorCode::StreamNotFound => 404,
            ApiErrorCode::StreamNotMatch => 400,
            ApiErrorCode::StreamReplicasNotUpdatable => 400,
            ApiErrorCode::StreamRestore => 500,
            ApiErrorCode::StreamSequenceNotMatch => 503,
            ApiErrorCode::StreamSnapshot => 500,
            ApiErrorCode::StreamSubjectOverlap => 400,
            ApiErrorCode::StreamTemplateCreate => 500,
            ApiErrorCode::StreamTemplateDelete => 500,
            ApiErrorCode::StreamTemplateNotFound => 404,
            ApiErrorCode::StreamUpdate => 500,
            ApiErrorCode::StreamWrongLastMsgID => 400,
            ApiErrorCode::StreamWrongLastSequence => 400,
            ApiErrorCode::TempStorageFailed => 500,
            ApiErrorCode::TemplateNameNotMatchSubject => 400,
            ApiErrorCode::StreamReplicasNotSupported => 500,
            ApiErrorCode::PeerRemap => 503,
            ApiErrorCode::NotEnabled => 503,
            ApiErrorCode::StreamStoreFailed => 503,
            ApiErrorCode::ConsumerConfigRequired => 400,
            ApiErrorCode::ConsumerDeliverToWildcards => 400,
            ApiErrorCode::ConsumerPushMaxWaiting => 400,
            ApiErrorCode::ConsumerDeliverCycle => 400,
            ApiErrorCode::ConsumerMaxPendingAckPolicyRequired => 400,
            ApiErrorCode::ConsumerSmallHeartbeat => 400,
            ApiErrorCode::ConsumerPullRequiresAck => 400,
            ApiErrorCode::ConsumerPullNotDurable => 400,
            ApiErrorCode::ConsumerPullWithRateLimit => 400,
            ApiErrorCode::ConsumerMaxWaitingNegative => 400,
            ApiErrorCode::ConsumerHBRequiresPush => 400,
            ApiErrorCode::ConsumerFCRequiresPush => 400,
            ApiErrorCode::ConsumerDirectRequiresPush => 400,
            ApiErrorCode::ConsumerDirectRequiresEphemeral => 400,
            ApiErrorCode::ConsumerOnMapped => 400,
            ApiErrorCode::ConsumerFilterNotSubset => 400,
            ApiErrorCode::ConsumerInvalidPolicy => 400,
            ApiErrorCode::ConsumerInvalidSampling => 400,
            ApiErrorCode::StreamInvalid => 500,
            ApiErrorCode::StreamHeaderExceedsMaximum => 400,
            ApiErrorCode::ConsumerWQRequiresExplicitAck => 400,
            ApiErrorCode::ConsumerWQMultipleUnfiltered => 400,
            ApiErrorCode::ConsumerWQConsumerNotUnique => 400,
            ApiErrorCode::ConsumerWQConsumerNotDeliverAll => 400,
            ApiErrorCode::ConsumerNameTooLong => 400,
            ApiErrorCode::ConsumerBadDurableName => 400,
            ApiErrorCode::ConsumerStoreFailed => 500,
            ApiErrorCode::ConsumerExistingActive => 400,
            ApiErrorCode::ConsumerReplacementWithDifferentName => 400,
            ApiErrorCode::ConsumerDescriptionTooLong => 400,
            ApiErrorCode::ConsumerWithFlowControlNeedsHeartbeats => 400,
            ApiErrorCode::StreamSealed => 400,
            ApiErrorCode::StreamPurgeFailed => 500,
            ApiErrorCode::StreamRollupFailed => 500,
            ApiErrorCode::ConsumerInvalidDeliverSubject => 400,
            ApiErrorCode::StreamMaxBytesRequired => 400,
            ApiErrorCode::ConsumerMaxRequestBatchNegative => 400,
            ApiErrorCode::ConsumerMaxRequestExpiresTooSmall => 400,
            ApiErrorCode::ConsumerMaxDeliverBackoff => 400,
            ApiErrorCode::StreamInfoMaxSubjects => 500,
            ApiErrorCode::StreamOffline => 500,
            ApiErrorCode::ConsumerOffline => 500,
            ApiErrorCode::NoLimits => 400,
            ApiErrorCode::ConsumerMaxPendingAckExcess => 400,
            ApiErrorCode::StreamMaxStreamBytesExceeded => 400,
            ApiErrorCode::StreamMoveAndScale => 400,
            ApiErrorCode::StreamMoveInProgress => 400,
            ApiErrorCode::ConsumerMaxRequestBatchExceeded => 400,
            ApiErrorCode::ConsumerReplicasExceedsStream => 400,
            ApiErrorCode::ConsumerNameContainsPathSeparators => 400,
            ApiErrorCode::StreamNameContainsPathSeparators => 400,
            ApiErrorCode::StreamReconfigureNotInProgress => 400,
            ApiErrorCode::StreamNameExistRestoreFailed => 400,
            ApiErrorCode::ConsumerCreateFilterSubjectMismatch => 400,
            ApiErrorCode::ConsumerCreateDurableAndNameMismatch => 400,
            ApiErrorCode::ReplicasCountCannotBeNegative => 400,
            ApiErrorCode::ConsumerReplicasShouldMatchStream => 400,
            ApiErrorCode::ConsumerMetadataLength => 400,
            ApiErrorCode::ConsumerDuplicateFilterSubjects => 400,
            ApiErrorCode::ConsumerMultipleFiltersNotAllowed => 400,
            ApiErrorCode::ConsumerOverlappingSubjectFilters => 400,
            ApiErrorCode::ConsumerEmptyFilter => 400,
            ApiErrorCode::SourceDuplicateDetected => 400,
            ApiErrorCode::SourceInvalidStreamName => 400,
            ApiErrorCode::MirrorInvalidStreamName => 400,
            ApiErrorCode::MirrorWithFirstSeq => 400,
            ApiErrorCode::SourceMultipleFiltersNotAllowed => 400,
            ApiErrorCode::SourceInvalidSubjectFilter => 400,
            ApiErrorCode::SourceInvalidTransformDestination => 400,
            ApiErrorCode::SourceOverlappingSubjectFilters => 400,
            ApiErrorCode::ConsumerAlreadyExists => 400,
            ApiErrorCode::ConsumerDoesNotExist => 400,
            ApiErrorCode::MirrorMultipleFiltersNotAllowed => 400,
            ApiErrorCode::MirrorInvalidSubjectFilter => 400,
            ApiErrorCode::MirrorOverlappingSubjectFilters => 400,
            ApiErrorCode::ConsumerInactiveThresholdExcess => 400,
            ApiErrorCode::MirrorInvalidTransformDestination => 400,
            ApiErrorCode::StreamTransformInvalidSource => 400,
            ApiErrorCode::StreamTransformInvalidDestination => 400,
            ApiErrorCode::Pedantic => 400,
            ApiErrorCode::StreamDuplicateMessageConflict => 409,
            ApiErrorCode::ConsumerPriorityPolicyWithoutGroup => 400,
            ApiErrorCode::ConsumerInvalidPriorityGroup => 400,
            ApiErrorCode::ConsumerEmptyGroupName => 400,
            ApiErrorCode::ConsumerInvalidGroupName => 400,
            ApiErrorCode::StreamExpectedLastSeqPerSubjectNotReady => 503,
            ApiErrorCode::StreamWrongLastSequenceConstant => 400,
            ApiErrorCode::MessageTTLInvalid => 400,
            ApiErrorCode::MessageTTLDisabled => 400,
            ApiErrorCode::StreamTooManyRequests => 429,
            ApiErrorCode::MessageIncrDisabled => 400,
            ApiErrorCode::MessageIncrMissing => 400,
            ApiErrorCode::MessageIncrPayload => 400,
            ApiErrorCode::MessageIncrInvalid => 400,
            ApiErrorCode::MessageCounterBroken => 400,
            ApiErrorCode::MirrorWithCounters => 400,
            ApiErrorCode::AtomicPublishDisabled => 400,
            ApiErrorCode::AtomicPublishMissingSeq => 400,
            ApiErrorCode::AtomicPublishIncompleteBatch => 400,
            ApiErrorCode::AtomicPublishUnsupportedHeaderBatch => 400,
            ApiErrorCode::ConsumerPushWithPriorityGroup => 400,
            ApiErrorCode::AtomicPublishInvalidBatchID => 400,
            ApiErrorCode::StreamMinLastSeq => 412,
            ApiErrorCode::ConsumerAckPolicyInvalid => 400,
            ApiErrorCode::ConsumerReplayPolicyInvalid => 400,
            ApiErrorCode::ConsumerAckWaitNegative => 400,
            ApiErrorCode::ConsumerBackOffNegative => 400,
            ApiErrorCode::RequiredApiLevel => 412,
            ApiErrorCode::MirrorWithMsgSchedules => 400,
            ApiErrorCode::SourceWithMsgSchedules => 400,
            ApiErrorCode::MessageSchedulesDisabled => 400,
            ApiErrorCode::MessageSchedulesPatternInvalid => 400,
            ApiErrorCode::MessageSchedulesTargetInvalid => 400,
            ApiErrorCode::MessageSchedulesTTLInvalid => 400,
            ApiErrorCode::MessageSchedulesRollupInvalid => 400,
            ApiErrorCode::StreamExpectedLastSeqPerSubjectInvalid => 400,
            ApiErrorCode::StreamOfflineReason => 500,
            ApiErrorCode::ConsumerOfflineReason => 500,
            ApiErrorCode::ConsumerPriorityGroupWithPolicyNone => 400,
            ApiErrorCode::ConsumerPinnedTTLWithoutPriorityPolicyNone => 400,
            ApiErrorCode::MirrorWithAtomicPublish => 400,
            ApiErrorCode::AtomicPublishTooLargeBatch => 400,
            ApiErrorCode::AtomicPublishInvalidBatchCommit => 400,
            ApiErrorCode::AtomicPublishContainsDuplicateMessage => 400,
            ApiErrorCode::ClusterServerMemberChangeInflight => 400,
            ApiErrorCode::MessageSchedulesSourceInvalid => 400,
            ApiErrorCode::ConsumerInvalidReset => 400,
            ApiErrorCode::BatchPublishDisabled => 400,
            ApiErrorCode::BatchPublishInvalidPattern => 400,
            ApiErrorCode::BatchPublishInvalidBatchID => 400,
            ApiErrorCode::BatchPublishUnknownBatchID => 400,
            ApiErrorCode::MirrorWithBatchPublish => 400,
            ApiErrorCode::AtomicPublishTooManyInflight => 429,
            ApiErrorCode::BatchPublishTooManyInflight => 429,
            ApiErrorCode::MessageSchedulesSchedulerInvalid => 400,
            ApiErrorCode::MirrorDurableConsumerCfgInvalid => 400,
            ApiErrorCode::MirrorConsumerRequiresAckFC => 400,
            ApiErrorCode::SourceDurableConsumerCfgInvalid => 400,
            ApiErrorCode::SourceDurableConsumerDuplicateDetected => 400,
            ApiErrorCode::SourceConsumerRequiresAckFC => 400,
            ApiErrorCode::ConsumerAckFCRequiresPush => 400,
            ApiErrorCode::ConsumerAckFCRequiresFC => 400,
            ApiErrorCode::ConsumerAckFCRequiresMaxAckPending => 400,
            ApiErrorCode::ConsumerAckFCRequiresNoAckWait => 400,
            ApiErrorCode::ConsumerAckFCRequiresNoMaxDeliver => 400,
            ApiErrorCode::MessageSchedulesTimeZoneInvalid => 400,
            ApiErrorCode::ClusterRescue => 400,
            ApiErrorCode::ConsumerStreamIdentityMismatch => 400,
            ApiErrorCode::StreamReconfigureInProgress => 400,
            ApiErrorCode::MessageSourceHdrNotAllowed => 400,
        }
    }

    /// The unique JetStream error number (`err_code` in the JSON).
    pub const fn err_code(self) -> u16 {
        match self {
            ApiErrorCode::AccountResourcesExceeded => 10002,
            ApiErrorCode::BadRequest => 10003,
            ApiErrorCode::ClusterIncomplete => 10004,
            ApiErrorCode::ClusterNoPeers => 10005,
            ApiErrorCode::ClusterNotActive => 10006,
            ApiErrorCode::ClusterNotAssigned => 10007,
            ApiErrorCode::ClusterNotAvail => 10008,
            ApiErrorCode::ClusterNotLeader => 10009,
            ApiErrorCode::ClusterRequired => 10010,
            ApiErrorCode::ClusterTags => 10011,
            ApiErrorCode::ConsumerCreate => 10012,
            ApiErrorCode::ConsumerNameExist => 10013,
            ApiErrorCode::ConsumerNotFound => 10014,
            ApiErrorCode::SnapshotDeliverSubjectInvalid => 10015,
            ApiErrorCode::ConsumerDurableNameNotInSubject => 10016,
            ApiErrorCode::ConsumerDurableNameNotMatchSubject => 10017,
            ApiErrorCode::ConsumerDurableNameNotSet => 10018,
            ApiErrorCode::ConsumerEphemeralWithDurableInSubject => 10019,
            ApiErrorCode::ConsumerEphemeralWithDurableName => 10020,
            ApiErrorCode::StreamExternalApiOverlap => 10021,
            ApiErrorCode::StreamExternalDelPrefixOverlaps => 10022,
            ApiErrorCode::InsufficientResources => 10023,
            ApiErrorCode::StreamInvalidExternalDeliverySubj => 10024,
            ApiErrorCode::InvalidJSON => 10025,
            ApiErrorCode::MaximumConsumersLimit => 10026,
            ApiErrorCode::MaximumStreamsLimit => 10027,
            ApiErrorCode::MemoryResourcesExceeded => 10028,
            ApiErrorCode::MirrorConsumerSetupFailed => 10029,
            ApiErrorCode::MirrorMaxMessageSizeTooBig => 10030,
            ApiErrorCode::MirrorWithSources => 10031,
            ApiErrorCode::MirrorWithStartSeqAndTime => 10032,
            ApiErrorCode::MirrorWithSubjectFilters => 10033,
            ApiErrorCode::MirrorWithSubjects => 10034,
            ApiErrorCode::NoAccount => 10035,
            ApiErrorCode::ClusterUnSupportFeature => 10036,
            ApiErrorCode::NoMessageFound => 10037,
            ApiErrorCode::NotEmptyRequest => 10038,
            ApiErrorCode::NotEnabledForAccount => 10039,
            ApiErrorCode::ClusterPeerNotMember => 10040,
            ApiErrorCode::RaftGeneral => 10041,
            ApiErrorCode::RestoreSubscribeFailed => 10042,
            ApiErrorCode::SequenceNotFound => 10043,
            ApiErrorCode::ClusterServerNotMember => 10044,
            ApiErrorCode::SourceConsumerSetupFailed => 10045,
            ApiErrorCode::SourceMaxMessageSizeTooBig => 10046,
            ApiErrorCode::StorageResourcesExceeded => 10047,
            ApiErrorCode::StreamAssignment => 10048,
            ApiErrorCode::StreamCreate => 10049,
            ApiErrorCode::StreamDelete => 10050,
            ApiErrorCode::StreamGeneral => 10051,
            ApiErrorCode::StreamInvalidConfig => 10052,
            ApiErrorCode::StreamLimits => 10053,
            ApiErrorCode::StreamMessageExceedsMaximum => 10054,
            ApiErrorCode::StreamMirrorNotUpdatable => 10055,
            ApiErrorCode::StreamMismatch => 10056,
            ApiErrorCode::StreamMsgDeleteFailed => 10057,
            ApiErrorCode::StreamNameExist => 10058,
            ApiErrorCode::StreamNotFound => 10059,
            ApiErrorCode::StreamNotMatch => 10060,
            ApiErrorCode::StreamReplicasNotUpdatable => 10061,
            ApiErrorCode::StreamRestore => 10062,
            ApiErrorCode::StreamSequenceNotMatch => 10063,
            ApiErrorCode::StreamSnapshot => 10064,
            ApiErrorCode::StreamSubjectOverlap => 10065,
            ApiErrorCode::StreamTemplateCreate => 10066,
            ApiErrorCode::StreamTemplateDelete => 10067,
            ApiErrorCode::StreamTemplateNotFound => 10068,
            ApiErrorCode::StreamUpdate => 10069,
            ApiErrorCode::StreamWrongLastMsgID => 10070,
            ApiErrorCode::StreamWrongLastSequence => 10071,
            ApiErrorCode::TempStorageFailed => 10072,
            ApiErrorCode::TemplateNameNotMatchSubject => 10073,
            ApiErrorCode::StreamReplicasNotSupported => 10074,
            ApiErrorCode::PeerRemap => 10075,
            ApiErrorCode::NotEnabled => 10076,
            ApiErrorCode::StreamStoreFailed => 10077,
            ApiErrorCode::ConsumerConfigRequired => 10078,
            ApiErrorCode::ConsumerDeliverToWildcards => 10079,
            ApiErrorCode::ConsumerPushMaxWaiting => 10080,
            ApiErrorCode::ConsumerDeliverCycle => 10081,
            ApiErrorCode::ConsumerMaxPendingAckPolicyRequired => 10082,
            ApiErrorCode::ConsumerSmallHeartbeat => 10083,
            ApiErrorCode::ConsumerPullRequiresAck => 10084,
            ApiErrorCode::ConsumerPullNotDurable => 10085,
            ApiErrorCode::ConsumerPullWithRateLimit => 10086,
            ApiErrorCode::ConsumerMaxWaitingNegative => 10087,
            ApiErrorCode::ConsumerHBRequiresPush => 10088,
            ApiErrorCode::ConsumerFCRequiresPush => 10089,
            ApiErrorCode::ConsumerDirectRequiresPush => 10090,
            ApiErrorCode::ConsumerDirectRequiresEphemeral => 10091,
            ApiErrorCode::ConsumerOnMapped => 10092,
            ApiErrorCode::ConsumerFilterNotSubset => 10093,
            ApiErrorCode::ConsumerInvalidPolicy => 10094,
            ApiErrorCode::ConsumerInvalidSampling => 10095,
            ApiErrorCode::StreamInvalid => 10096,
            ApiErrorCode::StreamHeaderExceedsMaximum => 10097,
            ApiErrorCode::ConsumerWQRequiresExplicitAck => 10098,
            ApiErrorCode::ConsumerWQMultipleUnfiltered => 10099,
            ApiErrorCode::ConsumerWQConsumerNotUnique => 10100,
            ApiErrorCode::ConsumerWQConsumerNotDeliverAll => 10101,
            ApiErrorCode::ConsumerNameTooLong => 10102,
            ApiErrorCode::ConsumerBadDurableName => 10103,
            ApiErrorCode::ConsumerStoreFailed => 10104,
            ApiErrorCode::ConsumerExistingActive => 10105,
            ApiErrorCode::ConsumerReplacementWithDifferentName => 10106,
            ApiErrorCode::ConsumerDescriptionTooLong => 10107,
            ApiErrorCode::ConsumerWithFlowControlNeedsHeartbeats => 10108,
            ApiErrorCode::StreamSealed => 10109,
            ApiErrorCode::StreamPurgeFailed => 10110,
            ApiErrorCode::StreamRollupFailed => 10111,
            ApiErrorCode::ConsumerInvalidDeliverSubject => 10112,
            ApiErrorCode::StreamMaxBytesRequired => 10113,
            ApiErrorCode::ConsumerMaxRequestBatchNegative => 10114,
            ApiErrorCode::ConsumerMaxRequestExpiresTooSmall => 10115,
            ApiErrorCode::ConsumerMaxDeliverBackoff => 10116,
            ApiErrorCode::StreamInfoMaxSubjects => 10117,
            ApiErrorCode::StreamOffline => 10118,
            ApiErrorCode::ConsumerOffline => 10119,
            ApiErrorCode::NoLimits => 10120,
            ApiErrorCode::ConsumerMaxPendingAckExcess => 10121,
            ApiErrorCode::StreamMaxStreamBytesExceeded => 10122,
            ApiErrorCode::StreamMoveAndScale => 10123,
            ApiErrorCode::StreamMoveInProgress => 10124,
            ApiErrorCode::ConsumerMaxRequestBatchExceeded => 10125,
            ApiErrorCode::ConsumerReplicasExceedsStream => 10126,
            ApiErrorCode::ConsumerNameContainsPathSeparators => 10127,
            ApiErrorCode::StreamNameContainsPathSeparators => 10128,
            ApiErrorCode::StreamReconfigureNotInProgress => 10129,
            ApiErrorCode::StreamNameExistRestoreFailed => 10130,
            ApiErrorCode::ConsumerCreateFilterSubjectMismatch => 10131,
            ApiErrorCode::ConsumerCreateDurableAndNameMismatch => 10132,
            ApiErrorCode::ReplicasCountCannotBeNegative => 10133,
            ApiErrorCode::ConsumerReplicasShouldMatchStream => 10134,
            ApiErrorCode::ConsumerMetadataLength => 10135,
            ApiErrorCode::ConsumerDuplicateFilterSubjects => 10136,
            ApiErrorCode::ConsumerMultipleFiltersNotAllowed => 10137,
            ApiErrorCode::ConsumerOverlappingSubjectFilters => 10138,
            ApiErrorCode::ConsumerEmptyFilter => 10139,
            ApiErrorCode::SourceDuplicateDetected => 10140,
            ApiErrorCode::SourceInvalidStreamName => 10141,
            ApiErrorCode::MirrorInvalidStreamName => 10142,
            ApiErrorCode::MirrorWithFirstSeq => 10143,
            ApiErrorCode::SourceMultipleFiltersNotAllowed => 10144,
            ApiErrorCode::SourceInvalidSubjectFilter => 10145,
            ApiErrorCode::SourceInvalidTransformDestination => 10146,
            ApiErrorCode::SourceOverlappingSubjectFilters => 10147,
            ApiErrorCode::ConsumerAlreadyExists => 10148,
            ApiErrorCode::ConsumerDoesNotExist => 10149,
            ApiErrorCode::MirrorMultipleFiltersNotAllowed => 10150,
            ApiErrorCode::MirrorInvalidSubjectFilter => 10151,
            ApiErrorCode::MirrorOverlappingSubjectFilters => 10152,
            ApiErrorCode::ConsumerInactiveThresholdExcess => 10153,
            ApiErrorCode::MirrorInvalidTransformDestination => 10154,
            ApiErrorCode::StreamTransformInvalidSource => 10155,
            ApiErrorCode::StreamTransformInvalidDestination => 10156,
            ApiErrorCode::Pedantic => 10157,
            ApiErrorCode::StreamDuplicateMessageConflict => 10158,
            ApiErrorCode::ConsumerPriorityPolicyWithoutGroup => 10159,
            ApiErrorCode::ConsumerInvalidPriorityGroup => 10160,
            ApiErrorCode::ConsumerEmptyGroupName => 10161,
            ApiErrorCode::ConsumerInvalidGroupName => 10162,
            ApiErrorCode::StreamExpectedLastSeqPerSubjectNotReady => 10163,
            ApiErrorCode::StreamWrongLastSequenceConstant => 10164,
            ApiErrorCode::MessageTTLInvalid => 10165,
            ApiErrorCode::MessageTTLDisabled => 10166,
            ApiErrorCode::StreamTooManyRequests => 10167,
            ApiErrorCode::MessageIncrDisabled => 10168,
            ApiErrorCode::MessageIncrMissing => 10169,
            ApiErrorCode::MessageIncrPayload => 10170,
            ApiErrorCode::MessageIncrInvalid => 10171,
            ApiErrorCode::MessageCounterBroken => 10172,
            ApiErrorCode::MirrorWithCounters => 10173,
            ApiErrorCode::AtomicPublishDisabled => 10174,
            ApiErrorCode::AtomicPublishMissingSeq => 10175,
            ApiErrorCode::AtomicPublishIncompleteBatch => 10176,
            ApiErrorCode::AtomicPublishUnsupportedHeaderBatch => 10177,
            ApiErrorCode::ConsumerPushWithPriorityGroup => 10178,
            ApiErrorCode::AtomicPublishInvalidBatchID => 10179,
            ApiErrorCode::StreamMinLastSeq => 10180,
            ApiErrorCode::ConsumerAckPolicyInvalid => 10181,
            ApiErrorCode::ConsumerReplayPolicyInvalid => 10182,
            ApiErrorCode::ConsumerAckWaitNegative => 10183,
            ApiErrorCode::ConsumerBackOffNegative => 10184,
            ApiErrorCode::RequiredApiLevel => 10185,
            ApiErrorCode::MirrorWithMsgSchedules => 10186,
            ApiErrorCode::SourceWithMsgSchedules => 10187,
            ApiErrorCode::MessageSchedulesDisabled => 10188,
            ApiErrorCode::MessageSchedulesPatternInvalid => 10189,
            ApiErrorCode::MessageSchedulesTargetInvalid => 10190,
            ApiErrorCode::MessageSchedulesTTLInvalid => 10191,
            ApiErrorCode::MessageSchedulesRollupInvalid => 10192,
            ApiErrorCode::StreamExpectedLastSeqPerSubjectInvalid => 10193,
            ApiErrorCode::StreamOfflineReason => 10194,
            ApiErrorCode::ConsumerOfflineReason => 10195,
            ApiErrorCode::ConsumerPriorityGroupWithPolicyNone => 10196,
            ApiErrorCode::ConsumerPinnedTTLWithoutPriorityPolicyNone => 10197,
            ApiErrorCode::MirrorWithAtomicPublish => 10198,
            ApiErrorCode::AtomicPublishTooLargeBatch => 10199,
            ApiErrorCode::AtomicPublishInvalidBatchCommit => 10200,
            ApiErrorCode::AtomicPublishContainsDuplicateMessage => 10201,
            ApiErrorCode::ClusterServerMemberChangeInflight => 10202,
            ApiErrorCode::MessageSchedulesSourceInvalid => 10203,
            ApiErrorCode::ConsumerInvalidReset => 10204,
            ApiErrorCode::BatchPublishDisabled => 10205,
            ApiErrorCode::BatchPublishInvalidPattern => 10206,
            ApiErrorCode::BatchPublishInvalidBatchID => 10207,
            ApiErrorCode::BatchPublishUnknownBatchID => 10208,
            ApiErrorCode::MirrorWithBatchPublish => 10209,
            ApiErrorCode::AtomicPublishTooManyInflight => 10210,
            ApiErrorCode::BatchPublishTooManyInflight => 10211,
            ApiErrorCode::MessageSchedulesSchedulerInvalid => 10212,
            ApiErrorCode::MirrorDurableConsumerCfgInvalid => 10213,
            ApiErrorCode::MirrorConsumerRequiresAckFC => 10214,
            ApiErrorCode::SourceDurableConsumerCfgInvalid => 10215,
            ApiErrorCode::SourceDurableConsumerDuplicateDetected => 10216,
            ApiErrorCode::SourceConsumerRequiresAckFC => 10217,
            ApiErrorCode::ConsumerAckFCRequiresPush => 10218,
            ApiErrorCode::ConsumerAckFCRequiresFC => 10219,
            ApiErrorCode::ConsumerAckFCRequiresMaxAckPending => 10220,
            ApiErrorCode::ConsumerAckFCRequiresNoAckWait => 10221,
            ApiErrorCode::ConsumerAckFCRequiresNoMaxDeliver => 10222,
            ApiErrorCode::MessageSchedulesTimeZoneInvalid => 10223,
            ApiErrorCode::ClusterRescue => 10224,
            ApiErrorCode::ConsumerStreamIdentityMismatch => 10225,
            ApiErrorCode::StreamReconfigureInProgress => 10226,
            ApiErrorCode::MessageSourceHdrNotAllowed => 10227,
        }
    }

    /// The description template, placeholders such as `{err}` unfilled.
    pub const fn template(self) -> &'static str {
        match self {
            ApiErrorCode::AccountResourcesExceeded => "resource limits exceeded for account",
            ApiErrorCode::BadRequest => "bad request",
            ApiErrorCode::ClusterIncomplete => "incomplete results",
            ApiErrorCode::ClusterNoPeers => "{err}",
            ApiErrorCode::ClusterNotActive => "JetStream not in clustered mode",
            ApiErrorCode::ClusterNotAssigned => "JetStream cluster not assigned to this server",
            ApiErrorCode::ClusterNotAvail => "JetStream system temporarily unavailable",
            ApiErrorCode::ClusterNotLeader => "JetStream cluster can not handle request",
            ApiErrorCode::ClusterRequired => "JetStream clustering support required",
            ApiErrorCode::ClusterTags => "tags placement not supported for operation",
            ApiErrorCode::ConsumerCreate => "{err}",
            ApiErrorCode::ConsumerNameExist => "consumer name already in use",
            ApiErrorCode::ConsumerNotFound => "consumer not found",
            ApiErrorCode::SnapshotDeliverSubjectInvalid => "deliver subject not valid",
            ApiErrorCode::ConsumerDurableNameNotInSubject => "consumer expected to be durable but no durable name set in subject",
            ApiErrorCode::ConsumerDurableNameNotMatchSubject => "consumer name in subject does not match durable name in request",
            ApiErrorCode::ConsumerDurableNameNotSet => "consumer expected to be durable but a durable name was not set",
            ApiErrorCode::ConsumerEphemeralWithDurableInSubject => "consumer expected to be ephemeral but detected a durable name set in subject",
            ApiErrorCode::ConsumerEphemeralWithDurableName => "consumer expected to be ephemeral but a durable name was set in request",
            ApiErrorCode::StreamExternalApiOverlap => "stream external api prefix {prefix} must not overlap with {subject}",
            ApiErrorCode::StreamExternalDelPrefixOverlaps => "stream external delivery prefix {prefix} overlaps with stream subject {subject}",
            ApiErrorCode::InsufficientResources => "insufficient resources",
            ApiErrorCode::StreamInvalidExternalDeliverySubj => "stream external delivery prefix {prefix} must not contain wildcards",
            ApiErrorCode::InvalidJSON => "invalid JSON: {err}",
            ApiErrorCode::MaximumConsumersLimit => "maximum consumers limit reached",
            ApiErrorCode::MaximumStreamsLimit => "maximum number of streams reached",
            ApiErrorCode::MemoryResourcesExceeded => "insufficient memory resources available",
            ApiErrorCode::MirrorConsumerSetupFailed => "{err}",
            ApiErrorCode::MirrorMaxMessageSizeTooBig => "stream mirror must have max message size >= source",
            ApiErrorCode::MirrorWithSources => "stream mirrors can not also contain other sources",
            ApiErrorCode::MirrorWithStartSeqAndTime => "stream mirrors can not have both start seq and start time configured",
            ApiErrorCode::MirrorWithSubjectFilters => "stream mirrors can not contain filtered subjects",
            ApiErrorCode::MirrorWithSubjects => "stream mirrors can not contain subjects",
            ApiErrorCode::NoAccount => "account not found",
            ApiErrorCode::ClusterUnSupportFeature => "not currently supported in clustered mode",
            ApiErrorCode::NoMessageFound => "no message found",
            ApiErrorCode::NotEmptyRequest => "expected an empty request payload",
            ApiErrorCode::NotEnabledForAccount => "JetStream not enabled for account",
            ApiErrorCode::ClusterPeerNotMember => "peer not a member",
            ApiErrorCode::RaftGeneral => "{err}",
            ApiErrorCode::RestoreSubscribeFailed => "JetStream unable to subscribe to restore snapshot {subject}: {err}",
            ApiErrorCode::SequenceNotFound => "sequence {seq} not found",
            ApiErrorCode::ClusterServerNotMember => "server is not a member of the cluster",
            ApiErrorCode::SourceConsumerSetupFailed => "{err}",
            ApiErrorCode::SourceMaxMessageSizeTooBig => "stream source must have max message size >= target",
            ApiErrorCode::StorageResourcesExceeded => "insufficient storage resources available",
            ApiErrorCode::StreamAssignment => "{err}",
            ApiErrorCode::StreamCreate => "{err}",
            ApiErrorCode::StreamDelete => "{err}",
            ApiErrorCode::StreamGeneral => "{err}",
            ApiErrorCode::StreamInvalidConfig => "{err}",
            ApiErrorCode::StreamLimits => "{err}",
            ApiErrorCode::StreamMessageExceedsMaximum => "message size exceeds maximum allowed",
            ApiErrorCode::StreamMirrorNotUpdatable => "stream mirror configuration can not be updated",
            ApiErrorCode::StreamMismatch => "stream name in subject does not match request",
            ApiErrorCode::StreamMsgDeleteFailed => "{err}",
            ApiErrorCode::StreamNameExist => "stream name already in use with a different configuration",
            ApiErrorCode::StreamNotFound => "stream not found",
            ApiErrorCode::StreamNotMatch => "expected stream does not match",
            ApiErrorCode::StreamReplicasNotUpdatable => "Replicas configuration can not be updated",
            ApiErrorCode::StreamRestore => "restore failed: {err}",
            ApiErrorCode::StreamSequenceNotMatch => "expected stream sequence does not match",
            ApiErrorCode::StreamSnapshot => "snapshot failed: {err}",
            ApiErrorCode::StreamSubjectOverlap => "subjects overlap with an existing stream",
            ApiErrorCode::StreamTemplateCreate => "{err}",
            ApiErrorCode::StreamTemplateDelete => "{err}",
            ApiErrorCode::StreamTemplateNotFound => "template not found",
            ApiErrorCode::StreamUpdate => "{err}",
            ApiErrorCode::StreamWrongLastMsgID => "wrong last msg ID: {id}",
            ApiErrorCode::StreamWrongLastSequence => "wrong last sequence: {seq}",
            ApiErrorCode::TempStorageFailed => "JetStream unable to open temp storage for restore",
            ApiErrorCode::TemplateNameNotMatchSubject => "template name in subject does not match request",
            ApiErrorCode::StreamReplicasNotSupported => "replicas > 1 not supported in non-clustered mode",
            ApiErrorCode::PeerRemap => "peer remap failed",
            ApiErrorCode::NotEnabled => "JetStream not enabled",
            ApiErrorCode::StreamStoreFailed => "{err}",
            ApiErrorCode::ConsumerConfigRequired => "consumer config required",
            ApiErrorCode::ConsumerDeliverToWildcards => "consumer deliver subject has wildcards",
            ApiErrorCode::ConsumerPushMaxWaiting => "consumer in push mode can not set max waiting",
            ApiErrorCode::ConsumerDeliverCycle => "consumer deliver subject forms a cycle",
            ApiErrorCode::ConsumerMaxPendingAckPolicyRequired => "consumer requires ack policy for max ack pending",
            ApiErrorCode::ConsumerSmallHeartbeat => "consumer idle heartbeat needs to be >= 100ms",
            ApiErrorCode::ConsumerPullRequiresAck => "consumer in pull mode requires explicit ack policy on workqueue stream",
            ApiErrorCode::ConsumerPullNotDurable => "consumer in pull mode requires a durable name",
            ApiErrorCode::ConsumerPullWithRateLimit => "consumer in pull mode can not have rate limit set",
            ApiErrorCode::ConsumerMaxWaitingNegative => "consumer max waiting needs to be positive",
            ApiErrorCode::ConsumerHBRequiresPush => "consumer idle heartbeat requires a push based consumer",
            ApiErrorCode::ConsumerFCRequiresPush => "consumer flow control requires a push based consumer",
            ApiErrorCode::ConsumerDirectRequiresPush => "consumer direct requires a push based consumer",
            ApiErrorCode::ConsumerDirectRequiresEphemeral => "consumer direct requires an ephemeral consumer",
            ApiErrorCode::ConsumerOnMapped => "consumer direct on a mapped consumer",
            ApiErrorCode::ConsumerFilterNotSubset => "consumer filter subject is not a valid subset of the interest subjects",
            ApiErrorCode::ConsumerInvalidPolicy => "{err}",
            ApiErrorCode::ConsumerInvalidSampling => "failed to parse consumer sampling configuration: {err}",
            ApiErrorCode::StreamInvalid => "stream not valid",
            ApiErrorCode::StreamHeaderExceedsMaximum => "header size exceeds maximum allowed of 64k",
            ApiErrorCode::ConsumerWQRequiresExplicitAck => "workqueue stream requires explicit ack",
            ApiErrorCode::ConsumerWQMultipleUnfiltered => "multiple non-filtered consumers not allowed on workqueue stream",
            ApiErrorCode::ConsumerWQConsumerNotUnique => "filtered consumer not unique on workqueue stream",
            ApiErrorCode::ConsumerWQConsumerNotDeliverAll => "consumer must be deliver all on workqueue stream",
            ApiErrorCode::ConsumerNameTooLong => "consumer name is too long, maximum allowed is {max}",
            ApiErrorCode::ConsumerBadDurableName => "durable name can not contain '.', '*', '>'",
            ApiErrorCode::ConsumerStoreFailed => "error creating store for consumer: {err}",
            ApiErrorCode::ConsumerExistingActive => "consumer already exists and is still active",
            ApiErrorCode::ConsumerReplacementWithDifferentName => "consumer replacement durable config not the same",
            ApiErrorCode::ConsumerDescriptionTooLong => "consumer description is too long, maximum allowed is {max}",
            ApiErrorCode::ConsumerWithFlowControlNeedsHeartbeats => "consumer with flow control also needs heartbeats",
            ApiErrorCode::StreamSealed => "invalid operation on sealed stream",
            ApiErrorCode::StreamPurgeFailed => "{err}",
            ApiErrorCode::StreamRollupFailed => "{err}",
            ApiErrorCode::ConsumerInvalidDeliverSubject => "invalid push consumer deliver subject",
            ApiErrorCode::StreamMaxBytesRequired => "account requires a stream config to have max bytes set",
            ApiErrorCode::ConsumerMaxRequestBatchNegative => "consumer max request batch needs to be > 0",
            ApiErrorCode::ConsumerMaxRequestExpiresTooSmall => "consumer max request expires needs to be >= 1ms",
            ApiErrorCode::ConsumerMaxDeliverBackoff => "max deliver is required to be > length of backoff values",
            ApiErrorCode::StreamInfoMaxSubjects => "subject details would exceed maximum allowed",
            ApiErrorCode::StreamOffline => "stream is offline",
            ApiErrorCode::ConsumerOffline => "consumer is offline",
            ApiErrorCode::NoLimits => "no JetStream default or applicable tiered limit present",
            ApiErrorCode::ConsumerMaxPendingAckExcess => "consumer max ack pending exceeds system limit of {limit}",
            ApiErrorCode::StreamMaxStreamBytesExceeded => "stream max bytes exceeds account limit max stream bytes",
            ApiErrorCode::StreamMoveAndScale => "can not move and scale a stream in a single update",
            ApiErrorCode::StreamMoveInProgress => "stream move already in progress",
            ApiErrorCode::ConsumerMaxRequestBatchExceeded => "consumer max request batch exceeds server limit of {limit}",
            ApiErrorCode::ConsumerReplicasExceedsStream => "consumer config replica count exceeds parent stream",
            ApiErrorCode::ConsumerNameContainsPathSeparators => "Consumer name can not contain path separators",
            ApiErrorCode::StreamNameContainsPathSeparators => "Stream name can not contain path separators",
            ApiErrorCode::StreamReconfigureNotInProgress => "stream reconfiguration not in progress",
            ApiErrorCode::StreamNameExistRestoreFailed => "stream name already in use, cannot restore",
            ApiErrorCode::ConsumerCreateFilterSubjectMismatch => "Consumer create request did not match filtered subject from create subject",
            ApiErrorCode::ConsumerCreateDurableAndNameMismatch => "Consumer Durable and Name have to be equal if both are provided",
            ApiErrorCode::ReplicasCountCannotBeNegative => "replicas count cannot be negative",
            ApiErrorCode::ConsumerReplicasShouldMatchStream => "consumer config replicas must match interest retention stream's replicas",
            ApiErrorCode::ConsumerMetadataLength => "consumer metadata exceeds maximum size of {limit}",
            ApiErrorCode::ConsumerDuplicateFilterSubjects => "consumer cannot have both FilterSubject and FilterSubjects specified",
            ApiErrorCode::ConsumerMultipleFiltersNotAllowed => "consumer with multiple subject filters cannot use subject based API",
            ApiErrorCode::ConsumerOverlappingSubjectFilters => "consumer subject filters cannot overlap",
            ApiErrorCode::ConsumerEmptyFilter => "consumer filter in FilterSubjects cannot be empty",
            ApiErrorCode::SourceDuplicateDetected => "duplicate source configuration detected",
            ApiErrorCode::SourceInvalidStreamName => "sourced stream name is invalid",
            ApiErrorCode::MirrorInvalidStreamName => "mirrored stream name is invalid",
            ApiErrorCode::MirrorWithFirstSeq => "stream mirrors can not have first sequence configured",
            ApiErrorCode::SourceMultipleFiltersNotAllowed => "source with multiple subject transforms cannot also have a single subject filter",
            ApiErrorCode::SourceInvalidSubjectFilter => "source transform source: {err}",
            ApiErrorCode::SourceInvalidTransformDestination => "source transform: {err}",
            ApiErrorCode::SourceOverlappingSubjectFilters => "source filters can not overlap",
            ApiErrorCode::ConsumerAlreadyExists => "consumer already exists",
            ApiErrorCode::ConsumerDoesNotExist => "consumer does not exist",
            ApiErrorCode::MirrorMultipleFiltersNotAllowed => "mirror with multiple subject transforms cannot also have a single subject filter",
            ApiErrorCode::MirrorInvalidSubjectFilter => "mirror transform source: {err}",
            ApiErrorCode::MirrorOverlappingSubjectFilters => "mirror subject filters can not overlap",
            ApiErrorCode::ConsumerInactiveThresholdExcess => "consumer inactive threshold exceeds system limit of {limit}",
            ApiErrorCode::MirrorInvalidTransformDestination => "mirror transform: {err}",
            ApiErrorCode::StreamTransformInvalidSource => "stream transform source: {err}",
            ApiErrorCode::StreamTransformInvalidDestination => "stream transform: {err}",
            ApiErrorCode::Pedantic => "pedantic mode: {err}",
            ApiErrorCode::StreamDuplicateMessageConflict => "duplicate message id is in process",
            ApiErrorCode::ConsumerPriorityPolicyWithoutGroup => "Setting PriorityPolicy requires at least one PriorityGroup to be set",
            ApiErrorCode::ConsumerInvalidPriorityGroup => "Provided priority group does not exist for this consumer",
            ApiErrorCode::ConsumerEmptyGroupName => "Group name cannot be an empty string",
            ApiErrorCode::ConsumerInvalidGroupName => "Valid priority group name must match A-Z, a-z, 0-9, -_/=)+ and may not exceed 16 characters",
            ApiErrorCode::StreamExpectedLastSeqPerSubjectNotReady => "expected last sequence per subject temporarily unavailable",
            ApiErrorCode::StreamWrongLastSequenceConstant => "wrong last sequence",
            ApiErrorCode::MessageTTLInvalid => "invalid per-message TTL",
            ApiErrorCode::MessageTTLDisabled => "per-message TTL is disabled",
            ApiErrorCode::StreamTooManyRequests => "too many requests",
            ApiErrorCode::MessageIncrDisabled => "message counters is disabled",
            ApiErrorCode::MessageIncrMissing => "message counter increment is missing",
            ApiErrorCode::MessageIncrPayload => "message counter has payload",
            ApiErrorCode::MessageIncrInvalid => "message counter increment is invalid",
            ApiErrorCode::MessageCounterBroken => "message counter is broken",
            ApiErrorCode::MirrorWithCounters => "stream mirrors can not also calculate counters",
            ApiErrorCode::AtomicPublishDisabled => "atomic publish is disabled",
            ApiErrorCode::AtomicPublishMissingSeq => "atomic publish sequence is missing",
            ApiErrorCode::AtomicPublishIncompleteBatch => "atomic publish batch is incomplete",
            ApiErrorCode::AtomicPublishUnsupportedHeaderBatch => "atomic publish unsupported header used: {header}",
            ApiErrorCode::ConsumerPushWithPriorityGroup => "priority groups can not be used with push consumers",
            ApiErrorCode::AtomicPublishInvalidBatchID => "atomic publish batch ID is invalid",
            ApiErrorCode::StreamMinLastSeq => "min last sequence",
            ApiErrorCode::ConsumerAckPolicyInvalid => "consumer ack policy invalid",
            ApiErrorCode::ConsumerReplayPolicyInvalid => "consumer replay policy invalid",
            ApiErrorCode::ConsumerAckWaitNegative => "consumer ack wait needs to be positive",
            ApiErrorCode::ConsumerBackOffNegative => "consumer backoff needs to be positive",
            ApiErrorCode::RequiredApiLevel => "JetStream minimum api level required",
            ApiErrorCode::MirrorWithMsgSchedules => "stream mirrors can not also schedule messages",
            ApiErrorCode::SourceWithMsgSchedules => "stream source can not also schedule messages",
            ApiErrorCode::MessageSchedulesDisabled => "message schedules is disabled",
            ApiErrorCode::MessageSchedulesPatternInvalid => "message schedules pattern is invalid",
            ApiErrorCode::MessageSchedulesTargetInvalid => "message schedules target is invalid",
            ApiErrorCode::MessageSchedulesTTLInvalid => "message schedules invalid per-message TTL",
            ApiErrorCode::MessageSchedulesRollupInvalid => "message schedules invalid rollup",
            ApiErrorCode::StreamExpectedLastSeqPerSubjectInvalid => "missing sequence for expected last sequence per subject",
            ApiErrorCode::StreamOfflineReason => "stream is offline: {err}",
            ApiErrorCode::ConsumerOfflineReason => "consumer is offline: {err}",
            ApiErrorCode::ConsumerPriorityGroupWithPolicyNone => "consumer can not have priority groups when policy is none",
            ApiErrorCode::ConsumerPinnedTTLWithoutPriorityPolicyNone => "PinnedTTL cannot be set when PriorityPolicy is none",
            ApiErrorCode::MirrorWithAtomicPublish => "stream mirrors can not also use atomic publishing",
            ApiErrorCode::AtomicPublishTooLargeBatch => "atomic publish batch is too large: {size}",
            ApiErrorCode::AtomicPublishInvalidBatchCommit => "atomic publish batch commit is invalid",
            ApiErrorCode::AtomicPublishContainsDuplicateMessage => "atomic publish batch contains duplicate message id",
            ApiErrorCode::ClusterServerMemberChangeInflight => "cluster member change is in progress",
            ApiErrorCode::MessageSchedulesSourceInvalid => "message schedules source is invalid",
            ApiErrorCode::ConsumerInvalidReset => "invalid reset: {err}",
            ApiErrorCode::BatchPublishDisabled => "batch publish is disabled",
            ApiErrorCode::BatchPublishInvalidPattern => "batch publish pattern is invalid",
            ApiErrorCode::BatchPublishInvalidBatchID => "batch publish ID is invalid",
            ApiErrorCode::BatchPublishUnknownBatchID => "batch publish ID unknown",
            ApiErrorCode::MirrorWithBatchPublish => "stream mirrors can not also use batch publishing",
            ApiErrorCode::AtomicPublishTooManyInflight => "atomic publish too many inflight",
            ApiErrorCode::BatchPublishTooManyInflight => "batch publish too many inflight",
            ApiErrorCode::MessageSchedulesSchedulerInvalid => "message schedules invalid scheduler",
            ApiErrorCode::MirrorDurableConsumerCfgInvalid => "stream mirror consumer config is invalid",
            ApiErrorCode::MirrorConsumerRequiresAckFC => "stream mirror consumer requires flow control ack policy",
            ApiErrorCode::SourceDurableConsumerCfgInvalid => "stream source consumer config is invalid",
            ApiErrorCode::SourceDurableConsumerDuplicateDetected => "duplicate stream source consumer detected",
            ApiErrorCode::SourceConsumerRequiresAckFC => "stream source consumer requires flow control ack policy",
            ApiErrorCode::ConsumerAckFCRequiresPush => "flow control ack policy requires a push based consumer",
            ApiErrorCode::ConsumerAckFCRequiresFC => "flow control ack policy requires flow control",
            ApiErrorCode::ConsumerAckFCRequiresMaxAckPending => "flow control ack policy requires max ack pending",
            ApiErrorCode::ConsumerAckFCRequiresNoAckWait => "flow control ack policy requires unset ack wait",
            ApiErrorCode::ConsumerAckFCRequiresNoMaxDeliver => "flow control ack policy requires unset max deliver",
            ApiErrorCode::MessageSchedulesTimeZoneInvalid => "message schedules time zone is invalid",
            ApiErrorCode::ClusterRescue => "JetStream system rescue not applied: {err}",
            ApiErrorCode::ConsumerStreamIdentityMismatch => "consumer's stream identity does not match: {msg}",
            ApiErrorCode::StreamReconfigureInProgress => "stream reconfiguration already in progress",
            ApiErrorCode::MessageSourceHdrNotAllowed => "message stream source header is not allowed",
        }
    }

    /// The placeholders of [`Self::template`], without braces, in order of appearance.
    pub const fn placeholders(self) -> &'static [&'static str] {
        match self {
            ApiErrorCode::AccountResourcesExceeded => &[],
            ApiErrorCode::BadRequest => &[],
            ApiErrorCode::ClusterIncomplete => &[],
            ApiErrorCode::ClusterNoPeers => &["err"],
            ApiErrorCode::ClusterNotActive => &[],
            ApiErrorCode::ClusterNotAssigned => &[],
            ApiErrorCode::ClusterNotAvail => &[],
            ApiErrorCode::ClusterNotLeader => &[],
            ApiErrorCode::ClusterRequired => &[],
            ApiErrorCode::ClusterTags => &[],
            ApiErrorCode::ConsumerCreate => &["err"],
            ApiErrorCode::ConsumerNameExist => &[],
            ApiErrorCode::ConsumerNotFound => &[],
            ApiErrorCode::SnapshotDeliverSubjectInvalid => &[],
            ApiErrorCode::ConsumerDurableNameNotInSubject => &[],
            ApiErrorCode::ConsumerDurableNameNotMatchSubject => &[],
            ApiErrorCode::ConsumerDurableNameNotSet => &[],
            ApiErrorCode::ConsumerEphemeralWithDurableInSubject => &[],
            ApiErrorCode::ConsumerEphemeralWithDurableName => &[],
            ApiErrorCode::StreamExternalApiOverlap => &["prefix", "subject"],
            ApiErrorCode::StreamExternalDelPrefixOverlaps => &["prefix", "subject"],
            ApiErrorCode::InsufficientResources => &[],
            ApiErrorCode::StreamInvalidExternalDeliverySubj => &["prefix"],
            ApiErrorCode::InvalidJSON => &["err"],
            ApiErrorCode::MaximumConsumersLimit => &[],
            ApiErrorCode::MaximumStreamsLimit => &[],
            ApiErrorCode::MemoryResourcesExceeded => &[],
            ApiErrorCode::MirrorConsumerSetupFailed => &["err"],
            ApiErrorCode::MirrorMaxMessageSizeTooBig => &[],
            ApiErrorCode::MirrorWithSources => &[],
            ApiErrorCode::MirrorWithStartSeqAndTime => &[],
            ApiErrorCode::MirrorWithSubjectFilters => &[],
            ApiErrorCode::MirrorWithSubjects => &[],
            ApiErrorCode::NoAccount => &[],
            ApiErrorCode::ClusterUnSupportFeature => &[],
            ApiErrorCode::NoMessageFound => &[],
            ApiErrorCode::NotEmptyRequest => &[],
            ApiErrorCode::NotEnabledForAccount => &[],
            ApiErrorCode::ClusterPeerNotMember => &[],
            ApiErrorCode::RaftGeneral => &["err"],
            ApiErrorCode::RestoreSubscribeFailed => &["subject", "err"],
            ApiErrorCode::SequenceNotFound => &["seq"],
            ApiErrorCode::ClusterServerNotMember => &[],
            ApiErrorCode::SourceConsumerSetupFailed => &["err"],
            ApiErrorCode::SourceMaxMessageSizeTooBig => &[],
            ApiErrorCode::StorageResourcesExceeded => &[],
            ApiErrorCode::StreamAssignment => &["err"],
            ApiErrorCode::StreamCreate => &["err"],
            ApiErrorCode::StreamDelete => &["err"],
            ApiErrorCode::StreamGeneral => &["err"],
            ApiErrorCode::StreamInvalidConfig => &["err"],
            ApiErrorCode::StreamLimits => &["err"],
            ApiErrorCode::StreamMessageExceedsMaximum => &[],
            ApiErrorCode::StreamMirrorNotUpdatable => &[],
            ApiErrorCode::StreamMismatch => &[],
            ApiErrorCode::StreamMsgDeleteFailed => &["err"],
            ApiErrorCode::StreamNameExist => &[],
            ApiErrorCode::StreamNotFound => &[],
            ApiErrorCode::StreamNotMatch => &[],
            ApiErrorCode::StreamReplicasNotUpdatable => &[],
            ApiErrorCode::StreamRestore => &["err"],
            ApiErrorCode::StreamSequenceNotMatch => &[],
            ApiErrorCode::StreamSnapshot => &["err"],
            ApiErrorCode::StreamSubjectOverlap => &[],
            ApiErrorCode::StreamTemplateCreate => &["err"],
            ApiErrorCode::StreamTemplateDelete => &["err"],
            ApiErrorCode::StreamTemplateNotFound => &[],
            ApiErrorCode::StreamUpdate => &["err"],
            ApiErrorCode::StreamWrongLastMsgID => &["id"],
            ApiErrorCode::StreamWrongLastSequence => &["seq"],
            ApiErrorCode::TempStorageFailed => &[],
            ApiErrorCode::TemplateNameNotMatchSubject => &[],
            ApiErrorCode::StreamReplicasNotSupported => &[],
            ApiErrorCode::PeerRemap => &[],
            ApiErrorCode::NotEnabled => &[],
            ApiErrorCode::StreamStoreFailed => &["err"],
            ApiErrorCode::ConsumerConfigRequired => &[],
            ApiErrorCode::ConsumerDeliverToWildcards => &[],
            ApiErrorCode::ConsumerPushMaxWaiting => &[],
            ApiErrorCode::ConsumerDeliverCycle => &[],
            ApiErrorCode::ConsumerMaxPendingAckPolicyRequired => &[],
            ApiErrorCode::ConsumerSmallHeartbeat => &[],
            ApiErrorCode::ConsumerPullRequiresAck => &[],
            ApiErrorCode::ConsumerPullNotDurable => &[],
            ApiErrorCode::ConsumerPullWithRateLimit => &[],
            ApiErrorCode::ConsumerMaxWaitingNegative => &[],
            ApiErrorCode::ConsumerHBRequiresPush => &[],
            ApiErrorCode::ConsumerFCRequiresPush => &[],
            ApiErrorCode::ConsumerDirectRequiresPush => &[],
            ApiErrorCode::ConsumerDirectRequiresEphemeral => &[],
            ApiErrorCode::ConsumerOnMapped => &[],
            ApiErrorCode::ConsumerFilterNotSubset => &[],
            ApiErrorCode::ConsumerInvalidPolicy => &["err"],
            ApiErrorCode::ConsumerInvalidSampling => &["err"],
            ApiErrorCode::StreamInvalid => &[],
            ApiErrorCode::StreamHeaderExceedsMaximum => &[],
            ApiErrorCode::ConsumerWQRequiresExplicitAck => &[],
            ApiErrorCode::ConsumerWQMultipleUnfiltered => &[],
            ApiErrorCode::ConsumerWQConsumerNotUnique => &[],
            ApiErrorCode::ConsumerWQConsumerNotDeliverAll => &[],
            ApiErrorCode::ConsumerNameTooLong => &["max"],
            ApiErrorCode::ConsumerBadDurableName => &[],
            ApiErrorCode::ConsumerStoreFailed => &["err"],
            ApiErrorCode::ConsumerExistingActive => &[],
            ApiErrorCode::ConsumerReplacementWithDifferentName => &[],
            ApiErrorCode::ConsumerDescriptionTooLong => &["max"],
            ApiErrorCode::ConsumerWithFlowControlNeedsHeartbeats => &[],
            ApiErrorCode::StreamSealed => &[],
            ApiErrorCode::StreamPurgeFailed => &["err"],
            ApiErrorCode::StreamRollupFailed => &["err"],
            ApiErrorCode::ConsumerInvalidDeliverSubject => &[],
            ApiErrorCode::StreamMaxBytesRequired => &[],
            ApiErrorCode::ConsumerMaxRequestBatchNegative => &[],
            ApiErrorCode::ConsumerMaxRequestExpiresTooSmall => &[],
            ApiErrorCode::ConsumerMaxDeliverBackoff => &[],
            ApiErrorCode::StreamInfoMaxSubjects => &[],
            ApiErrorCode::StreamOffline => &[],
            ApiErrorCode::ConsumerOffline => &[],
            ApiErrorCode::NoLimits => &[],
            ApiErrorCode::ConsumerMaxPendingAckExcess => &["limit"],
            ApiErrorCode::StreamMaxStreamBytesExceeded => &[],
            ApiErrorCode::StreamMoveAndScale => &[],
            ApiErrorCode::StreamMoveInProgress => &[],
            ApiErrorCode::ConsumerMaxRequestBatchExceeded => &["limit"],
            ApiErrorCode::ConsumerReplicasExceedsStream => &[],
            ApiErrorCode::ConsumerNameContainsPathSeparators => &[],
            ApiErrorCode::StreamNameContainsPathSeparators => &[],
            ApiErrorCode::StreamReconfigureNotInProgress => &[],
            ApiErrorCode::StreamNameExistRestoreFailed => &[],
            ApiErrorCode::ConsumerCreateFilterSubjectMismatch => &[],
            ApiErrorCode::ConsumerCreateDurableAndNameMismatch => &[],
            ApiErrorCode::ReplicasCountCannotBeNegative => &[],
            ApiErrorCode::ConsumerReplicasShouldMatchStream => &[],
            ApiErrorCode::ConsumerMetadataLength => &["limit"],
            ApiErrorCode::ConsumerDuplicateFilterSubjects => &[],
            ApiErrorCode::ConsumerMultipleFiltersNotAllowed => &[],
            ApiErrorCode::ConsumerOverlappingSubjectFilters => &[],
            ApiErrorCode::ConsumerEmptyFilter => &[],
            ApiErrorCode::SourceDuplicateDetected => &[],
            ApiErrorCode::SourceInvalidStreamName => &[],
            ApiErrorCode::MirrorInvalidStreamName => &[],
            ApiErrorCode::MirrorWithFirstSeq => &[],
            ApiErrorCode::SourceMultipleFiltersNotAllowed => &[],
            ApiErrorCode::SourceInvalidSubjectFilter => &["err"],
            ApiErrorCode::SourceInvalidTransformDestination => &["err"],
            ApiErrorCode::SourceOverlappingSubjectFilters => &[],
            ApiErrorCode::ConsumerAlreadyExists => &[],
            ApiErrorCode::ConsumerDoesNotExist => &[],
            ApiErrorCode::MirrorMultipleFiltersNotAllowed => &[],
            ApiErrorCode::MirrorInvalidSubjectFilter => &["err"],
            ApiErrorCode::MirrorOverlappingSubjectFilters => &[],
            ApiErrorCode::ConsumerInactiveThresholdExcess => &["limit"],
            ApiErrorCode::MirrorInvalidTransformDestination => &["err"],
            ApiErrorCode::StreamTransformInvalidSource => &["err"],
            ApiErrorCode::StreamTransformInvalidDestination => &["err"],
            ApiErrorCode::Pedantic => &["err"],
            ApiErrorCode::StreamDuplicateMessageConflict => &[],
            ApiErrorCode::ConsumerPriorityPolicyWithoutGroup => &[],
            ApiErrorCode::ConsumerInvalidPriorityGroup => &[],
            ApiErrorCode::ConsumerEmptyGroupName => &[],
            ApiErrorCode::ConsumerInvalidGroupName => &[],
            ApiErrorCode::StreamExpectedLastSeqPerSubjectNotReady => &[],
            ApiErrorCode::StreamWrongLastSequenceConstant => &[],
            ApiErrorCode::MessageTTLInvalid => &[],
            ApiErrorCode::MessageTTLDisabled => &[],
            ApiErrorCode::StreamTooManyRequests => &[],
            ApiErrorCode::MessageIncrDisabled => &[],
            ApiErrorCode::MessageIncrMissing => &[],
            ApiErrorCode::MessageIncrPayload => &[],
            ApiErrorCode::MessageIncrInvalid => &[],
            ApiErrorCode::MessageCounterBroken => &[],
            ApiErrorCode::MirrorWithCounters => &[],
            ApiErrorCode::AtomicPublishDisabled => &[],
            ApiErrorCode::AtomicPublishMissingSeq => &[],
            ApiErrorCode::AtomicPublishIncompleteBatch => &[],
            ApiErrorCode::AtomicPublishUnsupportedHeaderBatch => &["header"],
            ApiErrorCode::ConsumerPushWithPriorityGroup => &[],
            ApiErrorCode::AtomicPublishInvalidBatchID => &[],
            ApiErrorCode::StreamMinLastSeq => &[],
            ApiErrorCode::ConsumerAckPolicyInvalid => &[],
            ApiErrorCode::ConsumerReplayPolicyInvalid => &[],
            ApiErrorCode::ConsumerAckWaitNegative => &[],
            ApiErrorCode::ConsumerBackOffNegative => &[],
            ApiErrorCode::RequiredApiLevel => &[],
            ApiErrorCode::MirrorWithMsgSchedules => &[],
            ApiErrorCode::SourceWithMsgSchedules => &[],
            ApiErrorCode::MessageSchedulesDisabled => &[],
            ApiErrorCode::MessageSchedulesPatternInvalid => &[],
            ApiErrorCode::MessageSchedulesTargetInvalid => &[],
            ApiErrorCode::MessageSchedulesTTLInvalid => &[],
            ApiErrorCode::MessageSchedulesRollupInvalid => &[],
            ApiErrorCode::StreamExpectedLastSeqPerSubjectInvalid => &[],
            ApiErrorCode::StreamOfflineReason => &["err"],
            ApiErrorCode::ConsumerOfflineReason => &["err"],
            ApiErrorCode::ConsumerPriorityGroupWithPolicyNone => &[],
            ApiErrorCode::ConsumerPinnedTTLWithoutPriorityPolicyNone => &[],
            ApiErrorCode::MirrorWithAtomicPublish => &[],
            ApiErrorCode::AtomicPublishTooLargeBatch => &["size"],
            ApiErrorCode::AtomicPublishInvalidBatchCommit => &[],
            ApiErrorCode::AtomicPublishContainsDuplicateMessage => &[],
            ApiErrorCode::ClusterServerMemberChangeInflight => &[],
            ApiErrorCode::MessageSchedulesSourceInvalid => &[],
            ApiErrorCode::ConsumerInvalidReset => &["err"],
            ApiErrorCode::BatchPublishDisabled => &[],
            ApiErrorCode::BatchPublishInvalidPattern => &[],
            ApiErrorCode::BatchPublishInvalidBatchID => &[],
            ApiErrorCode::BatchPublishUnknownBatchID => &[],
            ApiErrorCode::MirrorWithBatchPublish => &[],
            ApiErrorCode::AtomicPublishTooManyInflight => &[],
            ApiErrorCode::BatchPublishTooManyInflight => &[],
            ApiErrorCode::MessageSchedulesSchedulerInvalid => &[],
            ApiErrorCode::MirrorDurableConsumerCfgInvalid => &[],
            ApiErrorCode::MirrorConsumerRequiresAckFC => &[],
            ApiErrorCode::SourceDurableConsumerCfgInvalid => &[],
            ApiErrorCode::SourceDurableConsumerDuplicateDetected => &[],
            ApiErrorCode::SourceConsumerRequiresAckFC => &[],
            ApiErrorCode::ConsumerAckFCRequiresPush => &[],
            ApiErrorCode::ConsumerAckFCRequiresFC => &[],
            ApiErrorCode::ConsumerAckFCRequiresMaxAckPending => &[],
            ApiErrorCode::ConsumerAckFCRequiresNoAckWait => &[],
            ApiErrorCode::ConsumerAckFCRequiresNoMaxDeliver => &[],
            ApiErrorCode::MessageSchedulesTimeZoneInvalid => &[],
            ApiErrorCode::ClusterRescue => &["err"],
            ApiErrorCode::ConsumerStreamIdentityMismatch => &["msg"],
            ApiErrorCode::StreamReconfigureInProgress => &[],
            ApiErrorCode::MessageSourceHdrNotAllowed => &[],
        }
    }

    /// nats-server's Go identifier for this entry, e.g. `JSStreamNotFoundErr`.
    pub const fn constant(self) -> &'static str {
        match self {
            ApiErrorCode::AccountResourcesExceeded => "JSAccountResourcesExceededErr",
            ApiErrorCode::BadRequest => "JSBadRequestErr",
            ApiErrorCode::ClusterIncomplete => "JSClusterIncompleteErr",
            ApiErrorCode::ClusterNoPeers => "JSClusterNoPeersErrF",
            ApiErrorCode::ClusterNotActive => "JSClusterNotActiveErr",
            ApiErrorCode::ClusterNotAssigned => "JSClusterNotAssignedErr",
            ApiErrorCode::ClusterNotAvail => "JSClusterNotAvailErr",
            ApiErrorCode::ClusterNotLeader => "JSClusterNotLeaderErr",
            ApiErrorCode::ClusterRequired => "JSClusterRequiredErr",
            ApiErrorCode::ClusterTags => "JSClusterTagsErr",
            ApiErrorCode::ConsumerCreate => "JSConsumerCreateErrF",
            ApiErrorCode::ConsumerNameExist => "JSConsumerNameExistErr",
            ApiErrorCode::ConsumerNotFound => "JSConsumerNotFoundErr",
            ApiErrorCode::SnapshotDeliverSubjectInvalid => "JSSnapshotDeliverSubjectInvalidErr",
            ApiErrorCode::ConsumerDurableNameNotInSubject => "JSConsumerDurableNameNotInSubjectErr",
            ApiErrorCode::ConsumerDurableNameNotMatchSubject => {
                "JSConsumerDurableNameNotMatchSubjectErr"
            }
            ApiErrorCode::ConsumerDurableNameNotSet => "JSConsumerDurableNameNotSetErr",
            ApiErrorCode::ConsumerEphemeralWithDurableInSubject => {
                "JSConsumerEphemeralWithDurableInSubjectErr"
            }
            ApiErrorCode::ConsumerEphemeralWithDurableName => {
                "JSConsumerEphemeralWithDurableNameErr"
            }
            ApiErrorCode::StreamExternalApiOverlap => "JSStreamExternalApiOverlapErrF",
            ApiErrorCode::StreamExternalDelPrefixOverlaps => {
                "JSStreamExternalDelPrefixOverlapsErrF"
            }
            ApiErrorCode::InsufficientResources => "JSInsufficientResourcesErr",
            ApiErrorCode::StreamInvalidExternalDeliverySubj => {
                "JSStreamInvalidExternalDeliverySubjErrF"
            }
            ApiErrorCode::InvalidJSON => "JSInvalidJSONErr",
            ApiErrorCode::MaximumConsumersLimit => "JSMaximumConsumersLimitErr",
            ApiErrorCode::MaximumStreamsLimit => "JSMaximumStreamsLimitErr",
            ApiErrorCode::MemoryResourcesExceeded => "JSMemoryResourcesExceededErr",
            ApiErrorCode::MirrorConsumerSetupFailed => "JSMirrorConsumerSetupFailedErrF",
            ApiErrorCode::MirrorMaxMessageSizeTooBig => "JSMirrorMaxMessageSizeTooBigErr",
            ApiErrorCode::MirrorWithSources => "JSMirrorWithSourcesErr",
            ApiErrorCode::MirrorWithStartSeqAndTime => "JSMirrorWithStartSeqAndTimeErr",
            ApiErrorCode::MirrorWithSubjectFilters => "JSMirrorWithSubjectFiltersErr",
            ApiErrorCode::MirrorWithSubjects => "JSMirrorWithSubjectsErr",
            ApiErrorCode::NoAccount => "JSNoAccountErr",
            ApiErrorCode::ClusterUnSupportFeature => "JSClusterUnSupportFeatureErr",
            ApiErrorCode::NoMessageFound => "JSNoMessageFoundErr",
            ApiErrorCode::NotEmptyRequest => "JSNotEmptyRequestErr",
            ApiErrorCode::NotEnabledForAccount => "JSNotEnabledForAccountErr",
            ApiErrorCode::ClusterPeerNotMember => "JSClusterPeerNotMemberErr",
            ApiErrorCode::RaftGeneral => "JSRaftGeneralErrF",
            ApiErrorCode::RestoreSubscribeFailed => "JSRestoreSubscribeFailedErrF",
            ApiErrorCode::SequenceNotFound => "JSSequenceNotFoundErrF",
            ApiErrorCode::ClusterServerNotMember => "JSClusterServerNotMemberErr",
            ApiErrorCode::SourceConsumerSetupFailed => "JSSourceConsumerSetupFailedErrF",
            ApiErrorCode::SourceMaxMessageSizeTooBig => "JSSourceMaxMessageSizeTooBigErr",
            ApiErrorCode::StorageResourcesExceeded => "JSStorageResourcesExceededErr",
            ApiErrorCode::StreamAssignment => "JSStreamAssignmentErrF",
            ApiErrorCode::StreamCreate => "JSStreamCreateErrF",
            ApiErrorCode::StreamDelete => "JSStreamDeleteErrF",
            ApiErrorCode::StreamGeneral => "JSStreamGeneralErrorF",
            ApiErrorCode::StreamInvalidConfig => "JSStreamInvalidConfigF",
            ApiErrorCode::StreamLimits => "JSStreamLimitsErrF",
            ApiErrorCode::StreamMessageExceedsMaximum => "JSStreamMessageExceedsMaximumErr",
            ApiErrorCode::StreamMirrorNotUpdatable => "JSStreamMirrorNotUpdatableErr",
            ApiErrorCode::StreamMismatch => "JSStreamMismatchErr",
            ApiErrorCode::StreamMsgDeleteFailed => "JSStreamMsgDeleteFailedF",
            ApiErrorCode::StreamNameExist => "JSStreamNameExistErr",
            ApiErrorCode::StreamNotFound => "JSStreamNotFoundErr",
            ApiErrorCode::StreamNotMatch => "JSStreamNotMatchErr",
            ApiErrorCode::StreamReplicasNotUpdatable => "JSStreamReplicasNotUpdatableErr",
            ApiErrorCode::StreamRestore => "JSStreamRestoreErrF",
            ApiErrorCode::StreamSequenceNotMatch => "JSStreamSequenceNotMatchErr",
            ApiErrorCode::StreamSnapshot => "JSStreamSnapshotErrF",
            ApiErrorCode::StreamSubjectOverlap => "JSStreamSubjectOverlapErr",
            ApiErrorCode::StreamTemplateCreate => "JSStreamTemplateCreateErrF",
            ApiErrorCode::StreamTemplateDelete => "JSStreamTemplateDeleteErrF",
            ApiErrorCode::StreamTemplateNotFound => "JSStreamTemplateNotFoundErr",
            ApiErrorCode::StreamUpdate => "JSStreamUpdateErrF",
            ApiErrorCode::StreamWrongLastMsgID => "JSStreamWrongLastMsgIDErrF",
            ApiErrorCode::StreamWrongLastSequence => "JSStreamWrongLastSequenceErrF",
            ApiErrorCode::TempStorageFailed => "JSTempStorageFailedErr",
            ApiErrorCode::TemplateNameNotMatchSubject => "JSTemplateNameNotMatchSubjectErr",
            ApiErrorCode::StreamReplicasNotSupported => "JSStreamReplicasNotSupportedErr",
            ApiErrorCode::PeerRemap => "JSPeerRemapErr",
            ApiErrorCode::NotEnabled => "JSNotEnabledErr",
            ApiErrorCode::StreamStoreFailed => "JSStreamStoreFailedF",
            ApiErrorCode::ConsumerConfigRequired => "JSConsumerConfigRequiredErr",
            ApiErrorCode::ConsumerDeliverToWildcards => "JSConsumerDeliverToWildcardsErr",
            ApiErrorCode::ConsumerPushMaxWaiting => "JSConsumerPushMaxWaitingErr",
            ApiErrorCode::ConsumerDeliverCycle => "JSConsumerDeliverCycleErr",
            ApiErrorCode::ConsumerMaxPendingAckPolicyRequired => {
                "JSConsumerMaxPendingAckPolicyRequiredErr"
            }
            ApiErrorCode::ConsumerSmallHeartbeat => "JSConsumerSmallHeartbeatErr",
            ApiErrorCode::ConsumerPullRequiresAck => "JSConsumerPullRequiresAckErr",
            ApiErrorCode::ConsumerPullNotDurable => "JSConsumerPullNotDurableErr",
            ApiErrorCode::ConsumerPullWithRateLimit => "JSConsumerPullWithRateLimitErr",
            ApiErrorCode::ConsumerMaxWaitingNegative => "JSConsumerMaxWaitingNegativeErr",
            ApiErrorCode::ConsumerHBRequiresPush => "JSConsumerHBRequiresPushErr",
            ApiErrorCode::ConsumerFCRequiresPush => "JSConsumerFCRequiresPushErr",
            ApiErrorCode::ConsumerDirectRequiresPush => "JSConsumerDirectRequiresPushErr",
            ApiErrorCode::ConsumerDirectRequiresEphemeral => "JSConsumerDirectRequiresEphemeralErr",
            ApiErrorCode::ConsumerOnMapped => "JSConsumerOnMappedErr",
            ApiErrorCode::ConsumerFilterNotSubset => "JSConsumerFilterNotSubsetErr",
            ApiErrorCode::ConsumerInvalidPolicy => "JSConsumerInvalidPolicyErrF",
            ApiErrorCode::ConsumerInvalidSampling => "JSConsumerInvalidSamplingErrF",
            ApiErrorCode::StreamInvalid => "JSStreamInvalidErr",
            ApiErrorCode::StreamHeaderExceedsMaximum => "JSStreamHeaderExceedsMaximumErr",
            ApiErrorCode::ConsumerWQRequiresExplicitAck => "JSConsumerWQRequiresExplicitAckErr",
            ApiErrorCode::ConsumerWQMultipleUnfiltered => "JSConsumerWQMultipleUnfilteredErr",
            ApiErrorCode::ConsumerWQConsumerNotUnique => "JSConsumerWQConsumerNotUniqueErr",
            ApiErrorCode::ConsumerWQConsumerNotDeliverAll => "JSConsumerWQConsumerNotDeliverAllErr",
            ApiErrorCode::ConsumerNameTooLong => "JSConsumerNameTooLongErrF",
            ApiErrorCode::ConsumerBadDurableName => "JSConsumerBadDurableNameErr",
            ApiErrorCode::ConsumerStoreFailed => "JSConsumerStoreFailedErrF",
            ApiErrorCode::ConsumerExistingActive => "JSConsumerExistingActiveErr",
            ApiErrorCode::ConsumerReplacementWithDifferentName => {
                "JSConsumerReplacementWithDifferentNameErr"
            }
            ApiErrorCode::ConsumerDescriptionTooLong => "JSConsumerDescriptionTooLongErrF",
            ApiErrorCode::ConsumerWithFlowControlNeedsHeartbeats => {
                "JSConsumerWithFlowControlNeedsHeartbeats"
            }
            ApiErrorCode::StreamSealed => "JSStreamSealedErr",
            ApiErrorCode::StreamPurgeFailed => "JSStreamPurgeFailedF",
            ApiErrorCode::StreamRollupFailed => "JSStreamRollupFailedF",
            ApiErrorCode::ConsumerInvalidDeliverSubject => "JSConsumerInvalidDeliverSubject",
            ApiErrorCode::StreamMaxBytesRequired => "JSStreamMaxBytesRequired",
            ApiErrorCode::ConsumerMaxRequestBatchNegative => "JSConsumerMaxRequestBatchNegativeErr",
            ApiErrorCode::ConsumerMaxRequestExpiresTooSmall => {
                "JSConsumerMaxRequestExpiresTooSmall"
            }
            ApiErrorCode::ConsumerMaxDeliverBackoff => "JSConsumerMaxDeliverBackoffErr",
            ApiErrorCode::StreamInfoMaxSubjects => "JSStreamInfoMaxSubjectsErr",
            ApiErrorCode::StreamOffline => "JSStreamOfflineErr",
            ApiErrorCode::ConsumerOffline => "JSConsumerOfflineErr",
            ApiErrorCode::NoLimits => "JSNoLimitsErr",
            ApiErrorCode::ConsumerMaxPendingAckExcess => "JSConsumerMaxPendingAckExcessErrF",
            ApiErrorCode::StreamMaxStreamBytesExceeded => "JSStreamMaxStreamBytesExceeded",
            ApiErrorCode::StreamMoveAndScale => "JSStreamMoveAndScaleErr",
            ApiErrorCode::StreamMoveInProgress => "JSStreamMoveInProgressErr",
            ApiErrorCode::ConsumerMaxRequestBatchExceeded => "JSConsumerMaxRequestBatchExceededF",
            ApiErrorCode::ConsumerReplicasExceedsStream => "JSConsumerReplicasExceedsStream",
            ApiErrorCode::ConsumerNameContainsPathSeparators => {
                "JSConsumerNameContainsPathSeparatorsErr"
            }
            ApiErrorCode::StreamNameContainsPathSeparators => {
                "JSStreamNameContainsPathSeparatorsErr"
            }
            ApiErrorCode::StreamReconfigureNotInProgress => "JSStreamReconfigureNotInProgressErr",
            ApiErrorCode::StreamNameExistRestoreFailed => "JSStreamNameExistRestoreFailedErr",
            ApiErrorCode::ConsumerCreateFilterSubjectMismatch => {
                "JSConsumerCreateFilterSubjectMismatchErr"
            }
            ApiErrorCode::ConsumerCreateDurableAndNameMismatch => {
                "JSConsumerCreateDurableAndNameMismatch"
            }
            ApiErrorCode::ReplicasCountCannotBeNegative => "JSReplicasCountCannotBeNegative",
            ApiErrorCode::ConsumerReplicasShouldMatchStream => {
                "JSConsumerReplicasShouldMatchStream"
            }
            ApiErrorCode::ConsumerMetadataLength => "JSConsumerMetadataLengthErrF",
            ApiErrorCode::ConsumerDuplicateFilterSubjects => "JSConsumerDuplicateFilterSubjects",
            ApiErrorCode::ConsumerMultipleFiltersNotAllowed => {
                "JSConsumerMultipleFiltersNotAllowed"
            }
            ApiErrorCode::ConsumerOverlappingSubjectFilters => {
                "JSConsumerOverlappingSubjectFilters"
            }
            ApiErrorCode::ConsumerEmptyFilter => "JSConsumerEmptyFilter",
            ApiErrorCode::SourceDuplicateDetected => "JSSourceDuplicateDetected",
            ApiErrorCode::SourceInvalidStreamName => "JSSourceInvalidStreamName",
            ApiErrorCode::MirrorInvalidStreamName => "JSMirrorInvalidStreamName",
            ApiErrorCode::MirrorWithFirstSeq => "JSMirrorWithFirstSeqErr",
            ApiErrorCode::SourceMultipleFiltersNotAllowed => "JSSourceMultipleFiltersNotAllowed",
            ApiErrorCode::SourceInvalidSubjectFilter => "JSSourceInvalidSubjectFilter",
            ApiErrorCode::SourceInvalidTransformDestination => {
                "JSSourceInvalidTransformDestination"
            }
            ApiErrorCode::SourceOverlappingSubjectFilters => "JSSourceOverlappingSubjectFilters",
            ApiErrorCode::ConsumerAlreadyExists => "JSConsumerAlreadyExists",
            ApiErrorCode::ConsumerDoesNotExist => "JSConsumerDoesNotExist",
            ApiErrorCode::MirrorMultipleFiltersNotAllowed => "JSMirrorMultipleFiltersNotAllowed",
            ApiErrorCode::MirrorInvalidSubjectFilter => "JSMirrorInvalidSubjectFilter",
            ApiErrorCode::MirrorOverlappingSubjectFilters => "JSMirrorOverlappingSubjectFilters",
            ApiErrorCode::ConsumerInactiveThresholdExcess => "JSConsumerInactiveThresholdExcess",
            ApiErrorCode::MirrorInvalidTransformDestination => {
                "JSMirrorInvalidTransformDestination"
            }
            ApiErrorCode::StreamTransformInvalidSource => "JSStreamTransformInvalidSource",
            ApiErrorCode::StreamTransformInvalidDestination => {
                "JSStreamTransformInvalidDestination"
            }
            ApiErrorCode::Pedantic => "JSPedanticErrF",
            ApiErrorCode::StreamDuplicateMessageConflict => "JSStreamDuplicateMessageConflict",
            ApiErrorCode::ConsumerPriorityPolicyWithoutGroup => {
                "JSConsumerPriorityPolicyWithoutGroup"
            }
            ApiErrorCode::ConsumerInvalidPriorityGroup => "JSConsumerInvalidPriorityGroupErr",
            ApiErrorCode::ConsumerEmptyGroupName => "JSConsumerEmptyGroupName",
            ApiErrorCode::ConsumerInvalidGroupName => "JSConsumerInvalidGroupNameErr",
            ApiErrorCode::StreamExpectedLastSeqPerSubjectNotReady => {
                "JSStreamExpectedLastSeqPerSubjectNotReady"
            }
            ApiErrorCode::StreamWrongLastSequenceConstant => "JSStreamWrongLastSequenceConstantErr",
            ApiErrorCode::MessageTTLInvalid => "JSMessageTTLInvalidErr",
            ApiErrorCode::MessageTTLDisabled => "JSMessageTTLDisabledErr",
            ApiErrorCode::StreamTooManyRequests => "JSStreamTooManyRequests",
            ApiErrorCode::MessageIncrDisabled => "JSMessageIncrDisabledErr",
            ApiErrorCode::MessageIncrMissing => "JSMessageIncrMissingErr",
            ApiErrorCode::MessageIncrPayload => "JSMessageIncrPayloadErr",
            ApiErrorCode::MessageIncrInvalid => "JSMessageIncrInvalidErr",
            ApiErrorCode::MessageCounterBroken => "JSMessageCounterBrokenErr",
            ApiErrorCode::MirrorWithCounters => "JSMirrorWithCountersErr",
            ApiErrorCode::AtomicPublishDisabled => "JSAtomicPublishDisabledErr",
            ApiErrorCode::AtomicPublishMissingSeq => "JSAtomicPublishMissingSeqErr",
            ApiErrorCode::AtomicPublishIncompleteBatch => "JSAtomicPublishIncompleteBatchErr",
            ApiErrorCode::AtomicPublishUnsupportedHeaderBatch => {
                "JSAtomicPublishUnsupportedHeaderBatchErr"
            }
            ApiErrorCode::ConsumerPushWithPriorityGroup => "JSConsumerPushWithPriorityGroupErr",
            ApiErrorCode::AtomicPublishInvalidBatchID => "JSAtomicPublishInvalidBatchIDErr",
            ApiErrorCode::StreamMinLastSeq => "JSStreamMinLastSeqErr",
            ApiErrorCode::ConsumerAckPolicyInvalid => "JSConsumerAckPolicyInvalidErr",
            ApiErrorCode::ConsumerReplayPolicyInvalid => "JSConsumerReplayPolicyInvalidErr",
            ApiErrorCode::ConsumerAckWaitNegative => "JSConsumerAckWaitNegativeErr",
            ApiErrorCode::ConsumerBackOffNegative => "JSConsumerBackOffNegativeErr",
            ApiErrorCode::RequiredApiLevel => "JSRequiredApiLevelErr",
            ApiErrorCode::MirrorWithMsgSchedules => "JSMirrorWithMsgSchedulesErr",
            ApiErrorCode::SourceWithMsgSchedules => "JSSourceWithMsgSchedulesErr",
            ApiErrorCode::MessageSchedulesDisabled => "JSMessageSchedulesDisabledErr",
            ApiErrorCode::MessageSchedulesPatternInvalid => "JSMessageSchedulesPatternInvalidErr",
            ApiErrorCode::MessageSchedulesTargetInvalid => "JSMessageSchedulesTargetInvalidErr",
            ApiErrorCode::MessageSchedulesTTLInvalid => "JSMessageSchedulesTTLInvalidErr",
            ApiErrorCode::MessageSchedulesRollupInvalid => "JSMessageSchedulesRollupInvalidErr",
            ApiErrorCode::StreamExpectedLastSeqPerSubjectInvalid => {
                "JSStreamExpectedLastSeqPerSubjectInvalid"
            }
            ApiErrorCode::StreamOfflineReason => "JSStreamOfflineReasonErrF",
            ApiErrorCode::ConsumerOfflineReason => "JSConsumerOfflineReasonErrF",
            ApiErrorCode::ConsumerPriorityGroupWithPolicyNone => {
                "JSConsumerPriorityGroupWithPolicyNone"
            }
            ApiErrorCode::ConsumerPinnedTTLWithoutPriorityPolicyNone => {
                "JSConsumerPinnedTTLWithoutPriorityPolicyNone"
            }
            ApiErrorCode::MirrorWithAtomicPublish => "JSMirrorWithAtomicPublishErr",
            ApiErrorCode::AtomicPublishTooLargeBatch => "JSAtomicPublishTooLargeBatchErrF",
            ApiErrorCode::AtomicPublishInvalidBatchCommit => "JSAtomicPublishInvalidBatchCommitErr",
            ApiErrorCode::AtomicPublishContainsDuplicateMessage => {
                "JSAtomicPublishContainsDuplicateMessageErr"
            }
            ApiErrorCode::ClusterServerMemberChangeInflight => {
                "JSClusterServerMemberChangeInflightErr"
            }
            ApiErrorCode::MessageSchedulesSourceInvalid => "JSMessageSchedulesSourceInvalidErr",
            ApiErrorCode::ConsumerInvalidReset => "JSConsumerInvalidResetErr",
            ApiErrorCode::BatchPublishDisabled => "JSBatchPublishDisabledErr",
            ApiErrorCode::BatchPublishInvalidPattern => "JSBatchPublishInvalidPatternErr",
            ApiErrorCode::BatchPublishInvalidBatchID => "JSBatchPublishInvalidBatchIDErr",
            ApiErrorCode::BatchPublishUnknownBatchID => "JSBatchPublishUnknownBatchIDErr",
            ApiErrorCode::MirrorWithBatchPublish => "JSMirrorWithBatchPublishErr",
            ApiErrorCode::AtomicPublishTooManyInflight => "JSAtomicPublishTooManyInflight",
            ApiErrorCode::BatchPublishTooManyInflight => "JSBatchPublishTooManyInflight",
            ApiErrorCode::MessageSchedulesSchedulerInvalid => {
                "JSMessageSchedulesSchedulerInvalidErr"
            }
            ApiErrorCode::MirrorDurableConsumerCfgInvalid => "JSMirrorDurableConsumerCfgInvalid",
            ApiErrorCode::MirrorConsumerRequiresAckFC => "JSMirrorConsumerRequiresAckFCErr",
            ApiErrorCode::SourceDurableConsumerCfgInvalid => "JSSourceDurableConsumerCfgInvalid",
            ApiErrorCode::SourceDurableConsumerDuplicateDetected => {
                "JSSourceDurableConsumerDuplicateDetected"
            }
            ApiErrorCode::SourceConsumerRequiresAckFC => "JSSourceConsumerRequiresAckFCErr",
            ApiErrorCode::ConsumerAckFCRequiresPush => "JSConsumerAckFCRequiresPushErr",
            ApiErrorCode::ConsumerAckFCRequiresFC => "JSConsumerAckFCRequiresFCErr",
            ApiErrorCode::ConsumerAckFCRequiresMaxAckPending => {
                "JSConsumerAckFCRequiresMaxAckPendingErr"
            }
            ApiErrorCode::ConsumerAckFCRequiresNoAckWait => "JSConsumerAckFCRequiresNoAckWaitErr",
            ApiErrorCode::ConsumerAckFCRequiresNoMaxDeliver => {
                "JSConsumerAckFCRequiresNoMaxDeliverErr"
            }
            ApiErrorCode::MessageSchedulesTimeZoneInvalid => "JSMessageSchedulesTimeZoneInvalidErr",
            ApiErrorCode::ClusterRescue => "JSClusterRescueErr",
            ApiErrorCode::ConsumerStreamIdentityMismatch => "JSConsumerStreamIdentityMismatchF",
            ApiErrorCode::StreamReconfigureInProgress => "JSStreamReconfigureInProgressErr",
            ApiErrorCode::MessageSourceHdrNotAllowed => "JSMessageSourceHdrNotAllowedErr",
        }
    }

    /// The entry with this `err_code`, if any.
    pub const fn from_err_code(err_code: u16) -> Option<Self> {
        match err_code {
            10002 => Some(ApiErrorCode::AccountResourcesExceeded),
            10003 => Some(ApiErrorCode::BadRequest),
            10004 => Some(ApiErrorCode::ClusterIncomplete),
            10005 => Some(ApiErrorCode::ClusterNoPeers),
            10006 => Some(ApiErrorCode::ClusterNotActive),
            10007 => Some(ApiErrorCode::ClusterNotAssigned),
            10008 => Some(ApiErrorCode::ClusterNotAvail),
            10009 => Some(ApiErrorCode::ClusterNotLeader),
            10010 => Some(ApiErrorCode::ClusterRequired),
            10011 => Some(ApiErrorCode::ClusterTags),
            10012 => Some(ApiErrorCode::ConsumerCreate),
            10013 => Some(ApiErrorCode::ConsumerNameExist),
            10014 => Some(ApiErrorCode::ConsumerNotFound),
            10015 => Some(ApiErrorCode::SnapshotDeliverSubjectInvalid),
            10016 => Some(ApiErrorCode::ConsumerDurableNameNotInSubject),
            10017 => Some(ApiErrorCode::ConsumerDurableNameNotMatchSubject),
            10018 => Some(ApiErrorCode::ConsumerDurableNameNotSet),
            10019 => Some(ApiErrorCode::ConsumerEphemeralWithDurableInSubject),
            10020 => Some(ApiErrorCode::ConsumerEphemeralWithDurableName),
            10021 => Some(ApiErrorCode::StreamExternalApiOverlap),
            10022 => Some(ApiErrorCode::StreamExternalDelPrefixOverlaps),
            10023 => Some(ApiErrorCode::InsufficientResources),
            10024 => Some(ApiErrorCode::StreamInvalidExternalDeliverySubj),
            10025 => Some(ApiErrorCode::InvalidJSON),
            10026 => Some(ApiErrorCode::MaximumConsumersLimit),
            10027 => Some(ApiErrorCode::MaximumStreamsLimit),
            10028 => Some(ApiErrorCode::MemoryResourcesExceeded),
            10029 => Some(ApiErrorCode::MirrorConsumerSetupFailed),
            10030 => Some(ApiErrorCode::MirrorMaxMessageSizeTooBig),
            10031 => Some(ApiErrorCode::MirrorWithSources),
            10032 => Some(ApiErrorCode::MirrorWithStartSeqAndTime),
            10033 => Some(ApiErrorCode::MirrorWithSubjectFilters),
            10034 => Some(ApiErrorCode::MirrorWithSubjects),
            10035 => Some(ApiErrorCode::NoAccount),
            10036 => Some(ApiErrorCode::ClusterUnSupportFeature),
            10037 => Some(ApiErrorCode::NoMessageFound),
            10038 => Some(ApiErrorCode::NotEmptyRequest),
            10039 => Some(ApiErrorCode::NotEnabledForAccount),
            10040 => Some(ApiErrorCode::ClusterPeerNotMember),
            10041 => Some(ApiErrorCode::RaftGeneral),
            10042 => Some(ApiErrorCode::RestoreSubscribeFailed),
            10043 => Some(ApiErrorCode::SequenceNotFound),
            10044 => Some(ApiErrorCode::ClusterServerNotMember),
            10045 => Some(ApiErrorCode::SourceConsumerSetupFailed),
            10046 => Some(ApiErrorCode::SourceMaxMessageSizeTooBig),
            10047 => Some(ApiErrorCode::StorageResourcesExceeded),
            10048 => Some(ApiErrorCode::StreamAssignment),
            10049 => Some(ApiErrorCode::StreamCreate),
            10050 => Some(ApiErrorCode::StreamDelete),
            10051 => Some(ApiErrorCode::StreamGeneral),
            10052 => Some(ApiErrorCode::StreamInvalidConfig),
            10053 => Some(ApiErrorCode::StreamLimits),
            10054 => Some(ApiErrorCode::StreamMessageExceedsMaximum),
            10055 => Some(ApiErrorCode::StreamMirrorNotUpdatable),
            10056 => Some(ApiErrorCode::StreamMismatch),
            10057 => Some(ApiErrorCode::StreamMsgDeleteFailed),
            10058 => Some(ApiErrorCode::StreamNameExist),
            10059 => Some(ApiErrorCode::StreamNotFound),
            10060 => Some(ApiErrorCode::StreamNotMatch),
            10061 => Some(ApiErrorCode::StreamReplicasNotUpdatable),
            10062 => Some(ApiErrorCode::StreamRestore),
            10063 => Some(ApiErrorCode::StreamSequenceNotMatch),
            10064 => Some(ApiErrorCode::StreamSnapshot),
            10065 => Some(ApiErrorCode::StreamSubjectOverlap),
            10066 => Some(ApiErrorCode::StreamTemplateCreate),
            10067 => Some(ApiErrorCode::StreamTemplateDelete),
            10068 => Some(ApiErrorCode::StreamTemplateNotFound),
            10069 => Some(ApiErrorCode::StreamUpdate),
            10070 => Some(ApiErrorCode::StreamWrongLastMsgID),
            10071 => Some(ApiErrorCode::StreamWrongLastSequence),
            10072 => Some(ApiErrorCode::TempStorageFailed),
            10073 => Some(ApiErrorCode::TemplateNameNotMatchSubject),
            10074 => Some(ApiErrorCode::StreamReplicasNotSupported),
            10075 => Some(ApiErrorCode::PeerRemap),
            10076 => Some(ApiErrorCode::NotEnabled),
            10077 => Some(ApiErrorCode::StreamStoreFailed),
            10078 => Some(ApiErrorCode::ConsumerConfigRequired),
            10079 => Some(ApiErrorCode::ConsumerDeliverToWildcards),
            10080 => Some(ApiErrorCode::ConsumerPushMaxWaiting),
            10081 => Some(ApiErrorCode::ConsumerDeliverCycle),
            10082 => Some(ApiErrorCode::ConsumerMaxPendingAckPolicyRequired),
            10083 => Some(ApiErrorCode::ConsumerSmallHeartbeat),
            10084 => Some(ApiErrorCode::ConsumerPullRequiresAck),
            10085 => Some(ApiErrorCode::ConsumerPullNotDurable),
            10086 => Some(ApiErrorCode::ConsumerPullWithRateLimit),
            10087 => Some(ApiErrorCode::ConsumerMaxWaitingNegative),
            10088 => Some(ApiErrorCode::ConsumerHBRequiresPush),
            10089 => Some(ApiErrorCode::ConsumerFCRequiresPush),
            10090 => Some(ApiErrorCode::ConsumerDirectRequiresPush),
            10091 => Some(ApiErrorCode::ConsumerDirectRequiresEphemeral),
            10092 => Some(ApiErrorCode::ConsumerOnMapped),
            10093 => Some(ApiErrorCode::ConsumerFilterNotSubset),
            10094 => Some(ApiErrorCode::ConsumerInvalidPolicy),
            10095 => Some(ApiErrorCode::ConsumerInvalidSampling),
            10096 => Some(ApiErrorCode::StreamInvalid),
            10097 => Some(ApiErrorCode::StreamHeaderExceedsMaximum),
            10098 => Some(ApiErrorCode::ConsumerWQRequiresExplicitAck),
            10099 => Some(ApiErrorCode::ConsumerWQMultipleUnfiltered),
            10100 => Some(ApiErrorCode::ConsumerWQConsumerNotUnique),
            10101 => Some(ApiErrorCode::ConsumerWQConsumerNotDeliverAll),
            10102 => Some(ApiErrorCode::ConsumerNameTooLong),
            10103 => Some(ApiErrorCode::ConsumerBadDurableName),
            10104 => Some(ApiErrorCode::ConsumerStoreFailed),
            10105 => Some(ApiErrorCode::ConsumerExistingActive),
            10106 => Some(ApiErrorCode::ConsumerReplacementWithDifferentName),
            10107 => Some(ApiErrorCode::ConsumerDescriptionTooLong),
            10108 => Some(ApiErrorCode::ConsumerWithFlowControlNeedsHeartbeats),
            10109 => Some(ApiErrorCode::StreamSealed),
            10110 => Some(ApiErrorCode::StreamPurgeFailed),
            10111 => Some(ApiErrorCode::StreamRollupFailed),
            10112 => Some(ApiErrorCode::ConsumerInvalidDeliverSubject),
            10113 => Some(ApiErrorCode::StreamMaxBytesRequired),
            10114 => Some(ApiErrorCode::ConsumerMaxRequestBatchNegative),
            10115 => Some(ApiErrorCode::ConsumerMaxRequestExpiresTooSmall),
            10116 => Some(ApiErrorCode::ConsumerMaxDeliverBackoff),
            10117 => Some(ApiErrorCode::StreamInfoMaxSubjects),
            10118 => Some(ApiErrorCode::StreamOffline),
            10119 => Some(ApiErrorCode::ConsumerOffline),
            10120 => Some(ApiErrorCode::NoLimits),
            10121 => Some(ApiErrorCode::ConsumerMaxPendingAckExcess),
            10122 => Some(ApiErrorCode::StreamMaxStreamBytesExceeded),
            10123 => Some(ApiErrorCode::StreamMoveAndScale),
            10124 => Some(ApiErrorCode::StreamMoveInProgress),
            10125 => Some(ApiErrorCode::ConsumerMaxRequestBatchExceeded),
            10126 => Some(ApiErrorCode::ConsumerReplicasExceedsStream),
            10127 => Some(ApiErrorCode::ConsumerNameContainsPathSeparators),
            10128 => Some(ApiErrorCode::StreamNameContainsPathSeparators),
            10129 => Some(ApiErrorCode::StreamReconfigureNotInProgress),
            10130 => Some(ApiErrorCode::StreamNameExistRestoreFailed),
            10131 => Some(ApiErrorCode::ConsumerCreateFilterSubjectMismatch),
            10132 => Some(ApiErrorCode::ConsumerCreateDurableAndNameMismatch),
            10133 => Some(ApiErrorCode::ReplicasCountCannotBeNegative),
            10134 => Some(ApiErrorCode::ConsumerReplicasShouldMatchStream),
            10135 => Some(ApiErrorCode::ConsumerMetadataLength),
            10136 => Some(ApiErrorCode::ConsumerDuplicateFilterSubjects),
            10137 => Some(ApiErrorCode::ConsumerMultipleFiltersNotAllowed),
            10138 => Some(ApiErrorCode::ConsumerOverlappingSubjectFilters),
            10139 => Some(ApiErrorCode::ConsumerEmptyFilter),
            10140 => Some(ApiErrorCode::SourceDuplicateDetected),
            10141 => Some(ApiErrorCode::SourceInvalidStreamName),
            10142 => Some(ApiErrorCode::MirrorInvalidStreamName),
            10143 => Some(ApiErrorCode::MirrorWithFirstSeq),
            10144 => Some(ApiErrorCode::SourceMultipleFiltersNotAllowed),
            10145 => Some(ApiErrorCode::SourceInvalidSubjectFilter),
            10146 => Some(ApiErrorCode::SourceInvalidTransformDestination),
            10147 => Some(ApiErrorCode::SourceOverlappingSubjectFilters),
            10148 => Some(ApiErrorCode::ConsumerAlreadyExists),
            10149 => Some(ApiErrorCode::ConsumerDoesNotExist),
            10150 => Some(ApiErrorCode::MirrorMultipleFiltersNotAllowed),
            10151 => Some(ApiErrorCode::MirrorInvalidSubjectFilter),
            10152 => Some(ApiErrorCode::MirrorOverlappingSubjectFilters),
            10153 => Some(ApiErrorCode::ConsumerInactiveThresholdExcess),
            10154 => Some(ApiErrorCode::MirrorInvalidTransformDestination),
            10155 => Some(ApiErrorCode::StreamTransformInvalidSource),
            10156 => Some(ApiErrorCode::StreamTransformInvalidDestination),
            10157 => Some(ApiErrorCode::Pedantic),
            10158 => Some(ApiErrorCode::StreamDuplicateMessageConflict),
            10159 => Some(ApiErrorCode::ConsumerPriorityPolicyWithoutGroup),
            10160 => Some(ApiErrorCode::ConsumerInvalidPriorityGroup),
            10161 => Some(ApiErrorCode::ConsumerEmptyGroupName),
            10162 => Some(ApiErrorCode::ConsumerInvalidGroupName),
            10163 => Some(ApiErrorCode::StreamExpectedLastSeqPerSubjectNotReady),
            10164 => Some(ApiErrorCode::StreamWrongLastSequenceConstant),
            10165 => Some(ApiErrorCode::MessageTTLInvalid),
            10166 => Some(ApiErrorCode::MessageTTLDisabled),
            10167 => Some(ApiErrorCode::StreamTooManyRequests),
            10168 => Some(ApiErrorCode::MessageIncrDisabled),
            10169 => Some(ApiErrorCode::MessageIncrMissing),
            10170 => Some(ApiErrorCode::MessageIncrPayload),
            10171 => Some(ApiErrorCode::MessageIncrInvalid),
            10172 => Some(ApiErrorCode::MessageCounterBroken),
            10173 => Some(ApiErrorCode::MirrorWithCounters),
            10174 => Some(ApiErrorCode::AtomicPublishDisabled),
            10175 => Some(ApiErrorCode::AtomicPublishMissingSeq),
            10176 => Some(ApiErrorCode::AtomicPublishIncompleteBatch),
            10177 => Some(ApiErrorCode::AtomicPublishUnsupportedHeaderBatch),
            10178 => Some(ApiErrorCode::ConsumerPushWithPriorityGroup),
            10179 => Some(ApiErrorCode::AtomicPublishInvalidBatchID),
            10180 => Some(ApiErrorCode::StreamMinLastSeq),
            10181 => Some(ApiErrorCode::ConsumerAckPolicyInvalid),
            10182 => Some(ApiErrorCode::ConsumerReplayPolicyInvalid),
            10183 => Some(ApiErrorCode::ConsumerAckWaitNegative),
            10184 => Some(ApiErrorCode::ConsumerBackOffNegative),
            10185 => Some(ApiErrorCode::RequiredApiLevel),
            10186 => Some(ApiErrorCode::MirrorWithMsgSchedules),
            10187 => Some(ApiErrorCode::SourceWithMsgSchedules),
            10188 => Some(ApiErrorCode::MessageSchedulesDisabled),
            10189 => Some(ApiErrorCode::MessageSchedulesPatternInvalid),
            10190 => Some(ApiErrorCode::MessageSchedulesTargetInvalid),
            10191 => Some(ApiErrorCode::MessageSchedulesTTLInvalid),
            10192 => Some(ApiErrorCode::MessageSchedulesRollupInvalid),
            10193 => Some(ApiErrorCode::StreamExpectedLastSeqPerSubjectInvalid),
            10194 => Some(ApiErrorCode::StreamOfflineReason),
            10195 => Some(ApiErrorCode::ConsumerOfflineReason),
            10196 => Some(ApiErrorCode::ConsumerPriorityGroupWithPolicyNone),
            10197 => Some(ApiErrorCode::ConsumerPinnedTTLWithoutPriorityPolicyNone),
            10198 => Some(ApiErrorCode::MirrorWithAtomicPublish),
            10199 => Some(ApiErrorCode::AtomicPublishTooLargeBatch),
            10200 => Some(ApiErrorCode::AtomicPublishInvalidBatchCommit),
            10201 => Some(ApiErrorCode::AtomicPublishContainsDuplicateMessage),
            10202 => Some(ApiErrorCode::ClusterServerMemberChangeInflight),
            10203 => Some(ApiErrorCode::MessageSchedulesSourceInvalid),
            10204 => Some(ApiErrorCode::ConsumerInvalidReset),
            10205 => Some(ApiErrorCode::BatchPublishDisabled),
            10206 => Some(ApiErrorCode::BatchPublishInvalidPattern),
            10207 => Some(ApiErrorCode::BatchPublishInvalidBatchID),
            10208 => Some(ApiErrorCode::BatchPublishUnknownBatchID),
            10209 => Some(ApiErrorCode::MirrorWithBatchPublish),
            10210 => Some(ApiErrorCode::AtomicPublishTooManyInflight),
            10211 => Some(ApiErrorCode::BatchPublishTooManyInflight),
            10212 => Some(ApiErrorCode::MessageSchedulesSchedulerInvalid),
            10213 => Some(ApiErrorCode::MirrorDurableConsumerCfgInvalid),
            10214 => Some(ApiErrorCode::MirrorConsumerRequiresAckFC),
            10215 => Some(ApiErrorCode::SourceDurableConsumerCfgInvalid),
            10216 => Some(ApiErrorCode::SourceDurableConsumerDuplicateDetected),
            10217 => Some(ApiErrorCode::SourceConsumerRequiresAckFC),
            10218 => Some(ApiErrorCode::ConsumerAckFCRequiresPush),
            10219 => Some(ApiErrorCode::ConsumerAckFCRequiresFC),
            10220 => Some(ApiErrorCode::ConsumerAckFCRequiresMaxAckPending),
            10221 => Some(ApiErrorCode::ConsumerAckFCRequiresNoAckWait),
            10222 => Some(ApiErrorCode::ConsumerAckFCRequiresNoMaxDeliver),
            10223 => Some(ApiErrorCode::MessageSchedulesTimeZoneInvalid),
            10224 => Some(ApiErrorCode::ClusterRescue),
            10225 => Some(ApiErrorCode::ConsumerStreamIdentityMismatch),
            10226 => Some(ApiErrorCode::StreamReconfigureInProgress),
            10227 => Some(ApiErrorCode::MessageSourceHdrNotAllowed),
            _ => None,
        }
    }
}

/// One constructor per table entry, placeholders filled from the arguments.
impl ApiError {
    /// `JSAccountResourcesExceededErr`: resource limits exceeded for account
    pub fn account_resources_exceeded() -> Self {
        Self::new(ApiErrorCode::AccountResourcesExceeded)
    }
    /// `JSBadRequestErr`: bad request
    pub fn bad_request() -> Self {
        Self::new(ApiErrorCode::BadRequest)
    }
    /// `JSClusterIncompleteErr`: incomplete results
    pub fn cluster_incomplete() -> Self {
        Self::new(ApiErrorCode::ClusterIncomplete)
    }
    /// `JSClusterNoPeersErrF`: {err}
    pub fn cluster_no_peers(err: impl std::fmt::Display) -> Self {
        Self::with_args(ApiErrorCode::ClusterNoPeers, &[("err", err.to_string())])
    }
    /// `JSClusterNotActiveErr`: JetStream not in clustered mode
    pub fn cluster_not_active() -> Self {
        Self::new(ApiErrorCode::ClusterNotActive)
    }
    /// `JSClusterNotAssignedErr`: JetStream cluster not assigned to this server
    pub fn cluster_not_assigned() -> Self {
        Self::new(ApiErrorCode::ClusterNotAssigned)
    }
    /// `JSClusterNotAvailErr`: JetStream system temporarily unavailable
    pub fn cluster_not_avail() -> Self {
        Self::new(ApiErrorCode::ClusterNotAvail)
    }
    /// `JSClusterNotLeaderErr`: JetStream cluster can not handle request
    pub fn cluster_not_leader() -> Self {
        Self::new(ApiErrorCode::ClusterNotLeader)
    }
    /// `JSClusterRequiredErr`: JetStream clustering support required
    pub fn cluster_required() -> Self {
        Self::new(ApiErrorCode::ClusterRequired)
    }
    /// `JSClusterTagsErr`: tags placement not supported for operation
    pub fn cluster_tags() -> Self {
        Self::new(ApiErrorCode::ClusterTags)
    }
    /// `JSConsumerCreateErrF`: {err}
    pub fn consumer_create(err: impl std::fmt::Display) -> Self {
        Self::with_args(ApiErrorCode::ConsumerCreate, &[("err", err.to_string())])
    }
    /// `JSConsumerNameExistErr`: consumer name already in use
    pub fn consumer_name_exist() -> Self {
        Self::new(ApiErrorCode::ConsumerNameExist)
    }
    /// `JSConsumerNotFoundErr`: consumer not found
    pub fn consumer_not_found() -> Self {
        Self::new(ApiErrorCode::ConsumerNotFound)
    }
    /// `JSSnapshotDeliverSubjectInvalidErr`: deliver subject not valid
    pub fn snapshot_deliver_subject_invalid() -> Self {
        Self::new(ApiErrorCode::SnapshotDeliverSubjectInvalid)
    }
    /// `JSConsumerDurableNameNotInSubjectErr`: consumer expected to be durable but no durable name set in subject
    pub fn consumer_durable_name_not_in_subject() -> Self {
        Self::new(ApiErrorCode::ConsumerDurableNameNotInSubject)
    }
    /// `JSConsumerDurableNameNotMatchSubjectErr`: consumer name in subject does not match durable name in request
    pub fn consumer_durable_name_not_match_subject() -> Self {
        Self::new(ApiErrorCode::ConsumerDurableNameNotMatchSubject)
    }
    /// `JSConsumerDurableNameNotSetErr`: consumer expected to be durable but a durable name was not set
    pub fn consumer_durable_name_not_set() -> Self {
        Self::new(ApiErrorCode::ConsumerDurableNameNotSet)
    }
    /// `JSConsumerEphemeralWithDurableInSubjectErr`: consumer expected to be ephemeral but detected a durable name set in subject
    pub fn consumer_ephemeral_with_durable_in_subject() -> Self {
        Self::new(ApiErrorCode::ConsumerEphemeralWithDurableInSubject)
    }
    /// `JSConsumerEphemeralWithDurableNameErr`: consumer expected to be ephemeral but a durable name was set in request
    pub fn consumer_ephemeral_with_durable_name() -> Self {
        Self::new(ApiErrorCode::ConsumerEphemeralWithDurableName)
    }
    /// `JSStreamExternalApiOverlapErrF`: stream external api prefix {prefix} must not overlap with {subject}
    pub fn stream_external_api_overlap(
        prefix: impl std::fmt::Display,
        subject: impl std::fmt::Display,
    ) -> Self {
        Self::with_args(
            ApiErrorCode::StreamExternalApiOverlap,
            &[
                ("prefix", prefix.to_string()),
                ("subject", subject.to_string()),
            ],
        )
    }
    /// `JSStreamExternalDelPrefixOverlapsErrF`: stream external delivery prefix {prefix} overlaps with stream subject {subject}
    pub fn stream_external_del_prefix_overlaps(
        prefix: impl std::fmt::Display,
        subject: impl std::fmt::Display,
    ) -> Self {
        Self::with_args(
            ApiErrorCode::StreamExternalDelPrefixOverlaps,
            &[
                ("prefix", prefix.to_string()),
                ("subject", subject.to_string()),
            ],
        )
    }
    /// `JSInsufficientResourcesErr`: insufficient resources
    pub fn insufficient_resources() -> Self {
        Self::new(ApiErrorCode::InsufficientResources)
    }
    /// `JSStreamInvalidExternalDeliverySubjErrF`: stream external delivery prefix {prefix} must not contain wildcards
    pub fn stream_invalid_external_delivery_subj(prefix: impl std::fmt::Display) -> Self {
        Self::with_args(
            ApiErrorCode::StreamInvalidExternalDeliverySubj,
            &[("prefix", prefix.to_string())],
        )
    }
    /// `JSInvalidJSONErr`: invalid JSON: {err}
    pub fn invalid_json(err: impl std::fmt::Display) -> Self {
        Self::with_args(ApiErrorCode::InvalidJSON, &[("err", err.to_string())])
    }
    /// `JSMaximumConsumersLimitErr`: maximum consumers limit reached
    pub fn maximum_consumers_limit() -> Self {
        Self::new(ApiErrorCode::MaximumConsumersLimit)
    }
    /// `JSMaximumStreamsLimitErr`: maximum number of streams reached
    pub fn maximum_streams_limit() -> Self {
        Self::new(ApiErrorCode::MaximumStreamsLimit)
    }
    /// `JSMemoryResourcesExceededErr`: insufficient memory resources available
    pub fn memory_resources_exceeded() -> Self {
        Self::new(ApiErrorCode::MemoryResourcesExceeded)
    }
    /// `JSMirrorConsumerSetupFailedErrF`: {err}
    pub fn mirror_consumer_setup_failed(err: impl std::fmt::Display) -> Self {
        Self::with_args(
            ApiErrorCode::MirrorConsumerSetupFailed,
            &[("err", err.to_string())],
        )
    }
    /// `JSMirrorMaxMessageSizeTooBigErr`: stream mirror must have max message size \>= source
    pub fn mirror_max_message_size_too_big() -> Self {
        Self::new(ApiErrorCode::MirrorMaxMessageSizeTooBig)
    }
    /// `JSMirrorWithSourcesErr`: stream mirrors can not also contain other sources
    pub fn mirror_with_sources() -> Self {
        Self::new(ApiErrorCode::MirrorWithSources)
    }
    /// `JSMirrorWithStartSeqAndTimeErr`: stream mirrors can not have both start seq and start time configured
    pub fn mirror_with_start_seq_and_time() -> Self {
        Self::new(ApiErrorCode::MirrorWithStartSeqAndTime)
    }
    /// `JSMirrorWithSubjectFiltersErr`: stream mirrors can not contain filtered subjects
    pub fn mirror_with_subject_filters() -> Self {
        Self::new(ApiErrorCode::MirrorWithSubjectFilters)
    }
    /// `JSMirrorWithSubjectsErr`: stream mirrors can not contain subjects
    pub fn mirror_with_subjects() -> Self {
        Self::new(ApiErrorCode::MirrorWithSubjects)
    }
    /// `JSNoAccountErr`: account not found
    pub fn no_account() -> Self {
        Self::new(ApiErrorCode::NoAccount)
    }
    /// `JSClusterUnSupportFeatureErr`: not currently supported in clustered mode
    pub fn cluster_un_support_feature() -> Self {
        Self::new(ApiErrorCode::ClusterUnSupportFeature)
    }
    /// `JSNoMessageFoundErr`: no message found
    pub fn no_message_found() -> Self {
        Self::new(ApiErrorCode::NoMessageFound)
    }
    /// `JSNotEmptyRequestErr`: expected an empty request payload
    pub fn not_empty_request() -> Self {
        Self::new(ApiErrorCode::NotEmptyRequest)
    }
    /// `JSNotEnabledForAccountErr`: JetStream not enabled for account
    pub fn not_enabled_for_account() -> Self {
        Self::new(ApiErrorCode::NotEnabledForAccount)
    }
    /// `JSClusterPeerNotMemberErr`: peer not a member
    pub fn cluster_peer_not_member() -> Self {
        Self::new(ApiErrorCode::ClusterPeerNotMember)
    }
    /// `JSRaftGeneralErrF`: {err}
    pub fn raft_general(err: impl std::fmt::Display) -> Self {
        Self::with_args(ApiErrorCode::RaftGeneral, &[("err", err.to_string())])
    }
    /// `JSRestoreSubscribeFailedErrF`: JetStream unable to subscribe to restore snapshot {subject}: {err}
    pub fn restore_subscribe_failed(
        subject: impl std::fmt::Display,
        err: impl std::fmt::Display,
    ) -> Self {
        Self::with_args(
            ApiErrorCode::RestoreSubscribeFailed,
            &[("subject", subject.to_string()), ("err", err.to_string())],
        )
    }
    /// `JSSequenceNotFoundErrF`: sequence {seq} not found
    pub fn sequence_not_found(seq: impl std::fmt::Display) -> Self {
        Self::with_args(ApiErrorCode::SequenceNotFound, &[("seq", seq.to_string())])
    }
    /// `JSClusterServerNotMemberErr`: server is not a member of the cluster
    pub fn cluster_server_not_member() -> Self {
        Self::new(ApiErrorCode::ClusterServerNotMember)
    }
    /// `JSSourceConsumerSetupFailedErrF`: {err}
    pub fn source_consumer_setup_failed(err: impl std::fmt::Display) -> Self {
        Self::with_args(
            ApiErrorCode::SourceConsumerSetupFailed,
            &[("err", err.to_string())],
        )
    }
    /// `JSSourceMaxMessageSizeTooBigErr`: stream source must have max message size \>= target
    pub fn source_max_message_size_too_big() -> Self {
        Self::new(ApiErrorCode::SourceMaxMessageSizeTooBig)
    }
    /// `JSStorageResourcesExceededErr`: insufficient storage resources available
    pub fn storage_resources_exceeded() -> Self {
        Self::new(ApiErrorCode::StorageResourcesExceeded)
    }
    /// `JSStreamAssignmentErrF`: {err}
    pub fn stream_assignment(err: impl std::fmt::Display) -> Self {
        Self::with_args(ApiErrorCode::StreamAssignment, &[("err", err.to_string())])
    }
    /// `JSStreamCreateErrF`: {err}
    pub fn stream_create(err: impl std::fmt::Display) -> Self {
        Self::with_args(ApiErrorCode::StreamCreate, &[("err", err.to_string())])
    }
    /// `JSStreamDeleteErrF`: {err}
    pub fn stream_delete(err: impl std::fmt::Display) -> Self {
        Self::with_args(ApiErrorCode::StreamDelete, &[("err", err.to_string())])
    }
    /// `JSStreamGeneralErrorF`: {err}
    pub fn stream_general(err: impl std::fmt::Display) -> Self {
        Self::with_args(ApiErrorCode::StreamGeneral, &[("err", err.to_string())])
    }
    /// `JSStreamInvalidConfigF`: {err}
    pub fn stream_invalid_config(err: impl std::fmt::Display) -> Self {
        Self::with_args(
            ApiErrorCode::StreamInvalidConfig,
            &[("err", err.to_string())],
        )
    }
    /// `JSStreamLimitsErrF`: {err}
    pub fn stream_limits(err: impl std::fmt::Display) -> Self {
        Self::with_args(ApiErrorCode::StreamLimits, &[("err", err.to_string())])
    }
    /// `JSStreamMessageExceedsMaximumErr`: message size exceeds maximum allowed
    pub fn stream_message_exceeds_maximum() -> Self {
        Self::new(ApiErrorCode::StreamMessageExceedsMaximum)
    }
    /// `JSStreamMirrorNotUpdatableErr`: stream mirror configuration can not be updated
    pub fn stream_mirror_not_updatable() -> Self {
        Self::new(ApiErrorCode::StreamMirrorNotUpdatable)
    }
    /// `JSStreamMismatchErr`: stream name in subject does not match request
    pub fn stream_mismatch() -> Self {
        Self::new(ApiErrorCode::StreamMismatch)
    }
    /// `JSStreamMsgDeleteFailedF`: {err}
    pub fn stream_msg_delete_failed(err: impl std::fmt::Display) -> Self {
        Self::with_args(
            ApiErrorCode::StreamMsgDeleteFailed,
            &[("err", err.to_string())],
        )
    }
    /// `JSStreamNameExistErr`: stream name already in use with a different configuration
    pub fn stream_name_exist() -> Self {
        Self::new(ApiErrorCode::StreamNameExist)
    }
    /// `JSStreamNotFoundErr`: stream not found
    pub fn stream_not_found() -> Self {
        Self::new(ApiErrorCode::StreamNotFound)
    }
    /// `JSStreamNotMatchErr`: expected stream does not match
    pub fn stream_not_match() -> Self {
        Self::new(ApiErrorCode::StreamNotMatch)
    }
    /// `JSStreamReplicasNotUpdatableErr`: Replicas configuration can not be updated
    pub fn stream_replicas_not_updatable() -> Self {
        Self::new(ApiErrorCode::StreamReplicasNotUpdatable)
    }
    /// `JSStreamRestoreErrF`: restore failed: {err}
    pub fn stream_restore(err: impl std::fmt::Display) -> Self {
        Self::with_args(ApiErrorCode::StreamRestore, &[("err", err.to_string())])
    }
    /// `JSStreamSequenceNotMatchErr`: expected stream sequence does not match
    pub fn stream_sequence_not_match() -> Self {
        Self::new(ApiErrorCode::StreamSequenceNotMatch)
    }
    /// `JSStreamSnapshotErrF`: snapshot failed: {err}
    pub fn stream_snapshot(err: impl std::fmt::Display) -> Self {
        Self::with_args(ApiErrorCode::StreamSnapshot, &[("err", err.to_string())])
    }
    /// `JSStreamSubjectOverlapErr`: subjects overlap with an existing stream
    pub fn stream_subject_overlap() -> Self {
        Self::new(ApiErrorCode::StreamSubjectOverlap)
    }
    /// `JSStreamTemplateCreateErrF`: {err}
    pub fn stream_template_create(err: impl std::fmt::Display) -> Self {
        Self::with_args(
            ApiErrorCode::StreamTemplateCreate,
            &[("err", err.to_string())],
        )
    }
    /// `JSStreamTemplateDeleteErrF`: {err}
    pub fn stream_template_delete(err: impl std::fmt::Display) -> Self {
        Self::with_args(
            ApiErrorCode::StreamTemplateDelete,
            &[("err", err.to_string())],
        )
    }
    /// `JSStreamTemplateNotFoundErr`: template not found
    pub fn stream_template_not_found() -> Self {
        Self::new(ApiErrorCode::StreamTemplateNotFound)
    }
    /// `JSStreamUpdateErrF`: {err}
    pub fn stream_update(err: impl std::fmt::Display) -> Self {
        Self::with_args(ApiErrorCode::StreamUpdate, &[("err", err.to_string())])
    }
    /// `JSStreamWrongLastMsgIDErrF`: wrong last msg ID: {id}
    pub fn stream_wrong_last_msg_id(id: impl std::fmt::Display) -> Self {
        Self::with_args(
            ApiErrorCode::StreamWrongLastMsgID,
            &[("id", id.to_string())],
        )
    }
    /// `JSStreamWrongLastSequenceErrF`: wrong last sequence: {seq}
    pub fn stream_wrong_last_sequence(seq: impl std::fmt::Display) -> Self {
        Self::with_args(
            ApiErrorCode::StreamWrongLastSequence,
            &[("seq", seq.to_string())],
        )
    }
    /// `JSTempStorageFailedErr`: JetStream unable to open temp storage for restore
    pub fn temp_storage_failed() -> Self {
        Self::new(ApiErrorCode::TempStorageFailed)
    }
    /// `JSTemplateNameNotMatchSubjectErr`: template name in subject does not match request
    pub fn template_name_not_match_subject() -> Self {
        Self::new(ApiErrorCode::TemplateNameNotMatchSubject)
    }
    /// `JSStreamReplicasNotSupportedErr`: replicas \> 1 not supported in non-clustered mode
    pub fn stream_replicas_not_supported() -> Self {
        Self::new(ApiErrorCode::StreamReplicasNotSupported)
    }
    /// `JSPeerRemapErr`: peer remap failed
    pub fn peer_remap() -> Self {
        Self::new(ApiErrorCode::PeerRemap)
    }
    /// `JSNotEnabledErr`: JetStream not enabled
    pub fn not_enabled() -> Self {
        Self::new(ApiErrorCode::NotEnabled)
    }
    /// `JSStreamStoreFailedF`: {err}
    pub fn stream_store_failed(err: impl std::fmt::Display) -> Self {
        Self::with_args(ApiErrorCode::StreamStoreFailed, &[("err", err.to_string())])
    }
    /// `JSConsumerConfigRequiredErr`: consumer config required
    pub fn consumer_config_required() -> Self {
        Self::new(ApiErrorCode::ConsumerConfigRequired)
    }
    /// `JSConsumerDeliverToWildcardsErr`: consumer deliver subject has wildcards
    pub fn consumer_deliver_to_wildcards() -> Self {
        Self::new(ApiErrorCode::ConsumerDeliverToWildcards)
    }
    /// `JSConsumerPushMaxWaitingErr`: consumer in push mode can not set max waiting
    pub fn consumer_push_max_waiting() -> Self {
        Self::new(ApiErrorCode::ConsumerPushMaxWaiting)
    }
    /// `JSConsumerDeliverCycleErr`: consumer deliver subject forms a cycle
    pub fn consumer_deliver_cycle() -> Self {
        Self::new(ApiErrorCode::ConsumerDeliverCycle)
    }
    /// `JSConsumerMaxPendingAckPolicyRequiredErr`: consumer requires ack policy for max ack pending
    pub fn consumer_max_pending_ack_policy_required() -> Self {
        Self::new(ApiErrorCode::ConsumerMaxPendingAckPolicyRequired)
    }
    /// `JSConsumerSmallHeartbeatErr`: consumer idle heartbeat needs to be \>= 100ms
    pub fn consumer_small_heartbeat() -> Self {
        Self::new(ApiErrorCode::ConsumerSmallHeartbeat)
    }
    /// `JSConsumerPullRequiresAckErr`: consumer in pull mode requires explicit ack policy on workqueue stream
    pub fn consumer_pull_requires_ack() -> Self {
        Self::new(ApiErrorCode::ConsumerPullRequiresAck)
    }
    /// `JSConsumerPullNotDurableErr`: consumer in pull mode requires a durable name
    pub fn consumer_pull_not_durable() -> Self {
        Self::new(ApiErrorCode::ConsumerPullNotDurable)
    }
    /// `JSConsumerPullWithRateLimitErr`: consumer in pull mode can not have rate limit set
    pub fn consumer_pull_with_rate_limit() -> Self {
        Self::new(ApiErrorCode::ConsumerPullWithRateLimit)
    }
    /// `JSConsumerMaxWaitingNegativeErr`: consumer max waiting needs to be positive
    pub fn consumer_max_waiting_negative() -> Self {
        Self::new(ApiErrorCode::ConsumerMaxWaitingNegative)
    }
    /// `JSConsumerHBRequiresPushErr`: consumer idle heartbeat requires a push based consumer
    pub fn consumer_hb_requires_push() -> Self {
        Self::new(ApiErrorCode::ConsumerHBRequiresPush)
    }
    /// `JSConsumerFCRequiresPushErr`: consumer flow control requires a push based consumer
    pub fn consumer_fc_requires_push() -> Self {
        Self::new(ApiErrorCode::ConsumerFCRequiresPush)
    }
    /// `JSConsumerDirectRequiresPushErr`: consumer direct requires a push based consumer
    pub fn consumer_direct_requires_push() -> Self {
        Self::new(ApiErrorCode::ConsumerDirectRequiresPush)
    }
    /// `JSConsumerDirectRequiresEphemeralErr`: consumer direct requires an ephemeral consumer
    pub fn consumer_direct_requires_ephemeral() -> Self {
        Self::new(ApiErrorCode::ConsumerDirectRequiresEphemeral)
    }
    /// `JSConsumerOnMappedErr`: consumer direct on a mapped consumer
    pub fn consumer_on_mapped() -> Self {
        Self::new(ApiErrorCode::ConsumerOnMapped)
    }
    /// `JSConsumerFilterNotSubsetErr`: consumer filter subject is not a valid subset of the interest subjects
    pub fn consumer_filter_not_subset() -> Self {
        Self::new(ApiErrorCode::ConsumerFilterNotSubset)
    }
    /// `JSConsumerInvalidPolicyErrF`: {err}
    pub fn consumer_invalid_policy(err: impl std::fmt::Display) -> Self {
        Self::with_args(
            ApiErrorCode::ConsumerInvalidPolicy,
            &[("err", err.to_string())],
        )
    }
    /// `JSConsumerInvalidSamplingErrF`: failed to parse consumer sampling configuration: {err}
    pub fn consumer_invalid_sampling(err: impl std::fmt::Display) -> Self {
        Self::with_args(
            ApiErrorCode::ConsumerInvalidSampling,
            &[("err", err.to_string())],
        )
    }
    /// `JSStreamInvalidErr`: stream not valid
    pub fn stream_invalid() -> Self {
        Self::new(ApiErrorCode::StreamInvalid)
    }
    /// `JSStreamHeaderExceedsMaximumErr`: header size exceeds maximum allowed of 64k
    pub fn stream_header_exceeds_maximum() -> Self {
        Self::new(ApiErrorCode::StreamHeaderExceedsMaximum)
    }
    /// `JSConsumerWQRequiresExplicitAckErr`: workqueue stream requires explicit ack
    pub fn consumer_wq_requires_explicit_ack() -> Self {
        Self::new(ApiErrorCode::ConsumerWQRequiresExplicitAck)
    }
    /// `JSConsumerWQMultipleUnfilteredErr`: multiple non-filtered consumers not allowed on workqueue stream
    pub fn consumer_wq_multiple_unfiltered() -> Self {
        Self::new(ApiErrorCode::ConsumerWQMultipleUnfiltered)
    }
    /// `JSConsumerWQConsumerNotUniqueErr`: filtered consumer not unique on workqueue stream
    pub fn consumer_wq_consumer_not_unique() -> Self {
        Self::new(ApiErrorCode::ConsumerWQConsumerNotUnique)
    }
    /// `JSConsumerWQConsumerNotDeliverAllErr`: consumer must be deliver all on workqueue stream
    pub fn consumer_wq_consumer_not_deliver_all() -> Self {
        Self::new(ApiErrorCode::ConsumerWQConsumerNotDeliverAll)
    }
    /// `JSConsumerNameTooLongErrF`: consumer name is too long, maximum allowed is {max}
    pub fn consumer_name_too_long(max: impl std::fmt::Display) -> Self {
        Self::with_args(
            ApiErrorCode::ConsumerNameTooLong,
            &[("max", max.to_string())],
        )
    }
    /// `JSConsumerBadDurableNameErr`: durable name can not contain '.', '*', '\>'
    pub fn consumer_bad_durable_name() -> Self {
        Self::new(ApiErrorCode::ConsumerBadDurableName)
    }
    /// `JSConsumerStoreFailedErrF`: error creating store for consumer: {err}
    pub fn consumer_store_failed(err: impl std::fmt::Display) -> Self {
        Self::with_args(
            ApiErrorCode::ConsumerStoreFailed,
            &[("err", err.to_string())],
        )
    }
    /// `JSConsumerExistingActiveErr`: consumer already exists and is still active
    pub fn consumer_existing_active() -> Self {
        Self::new(ApiErrorCode::ConsumerExistingActive)
    }
    /// `JSConsumerReplacementWithDifferentNameErr`: consumer replacement durable config not the same
    pub fn consumer_replacement_with_different_name() -> Self {
        Self::new(ApiErrorCode::ConsumerReplacementWithDifferentName)
    }
    /// `JSConsumerDescriptionTooLongErrF`: consumer description is too long, maximum allowed is {max}
    pub fn consumer_description_too_long(max: impl std::fmt::Display) -> Self {
        Self::with_args(
            ApiErrorCode::ConsumerDescriptionTooLong,
            &[("max", max.to_string())],
        )
    }
    /// `JSConsumerWithFlowControlNeedsHeartbeats`: consumer with flow control also needs heartbeats
    pub fn consumer_with_flow_control_needs_heartbeats() -> Self {
        Self::new(ApiErrorCode::ConsumerWithFlowControlNeedsHeartbeats)
    }
    /// `JSStreamSealedErr`: invalid operation on sealed stream
    pub fn stream_sealed() -> Self {
        Self::new(ApiErrorCode::StreamSealed)
    }
    /// `JSStreamPurgeFailedF`: {err}
    pub fn stream_purge_failed(err: impl std::fmt::Display) -> Self {
        Self::with_args(ApiErrorCode::StreamPurgeFailed, &[("err", err.to_string())])
    }
    /// `JSStreamRollupFailedF`: {err}
    pub fn stream_rollup_failed(err: impl std::fmt::Display) -> Self {
        Self::with_args(
            ApiErrorCode::StreamRollupFailed,
            &[("err", err.to_string())],
        )
    }
    /// `JSConsumerInvalidDeliverSubject`: invalid push consumer deliver subject
    pub fn consumer_invalid_deliver_subject() -> Self {
        Self::new(ApiErrorCode::ConsumerInvalidDeliverSubject)
    }
    /// `JSStreamMaxBytesRequired`: account requires a stream config to have max bytes set
    pub fn stream_max_bytes_required() -> Self {
        Self::new(ApiErrorCode::StreamMaxBytesRequired)
    }
    /// `JSConsumerMaxRequestBatchNegativeErr`: consumer max request batch needs to be \> 0
    pub fn consumer_max_request_batch_negative() -> Self {
        Self::new(ApiErrorCode::ConsumerMaxRequestBatchNegative)
    }
    /// `JSConsumerMaxRequestExpiresTooSmall`: consumer max request expires needs to be \>= 1ms
    pub fn consumer_max_request_expires_too_small() -> Self {
        Self::new(ApiErrorCode::ConsumerMaxRequestExpiresTooSmall)
    }
    /// `JSConsumerMaxDeliverBackoffErr`: max deliver is required to be \> length of backoff values
    pub fn consumer_max_deliver_backoff() -> Self {
        Self::new(ApiErrorCode::ConsumerMaxDeliverBackoff)
    }
    /// `JSStreamInfoMaxSubjectsErr`: subject details would exceed maximum allowed
    pub fn stream_info_max_subjects() -> Self {
        Self::new(ApiErrorCode::StreamInfoMaxSubjects)
    }
    /// `JSStreamOfflineErr`: stream is offline
    pub fn stream_offline() -> Self {
        Self::new(ApiErrorCode::StreamOffline)
    }
    /// `JSConsumerOfflineErr`: consumer is offline
    pub fn consumer_offline() -> Self {
        Self::new(ApiErrorCode::ConsumerOffline)
    }
    /// `JSNoLimitsErr`: no JetStream default or applicable tiered limit present
    pub fn no_limits() -> Self {
        Self::new(ApiErrorCode::NoLimits)
    }
    /// `JSConsumerMaxPendingAckExcessErrF`: consumer max ack pending exceeds system limit of {limit}
    pub fn consumer_max_pending_ack_excess(limit: impl std::fmt::Display) -> Self {
        Self::with_args(
            ApiErrorCode::ConsumerMaxPendingAckExcess,
            &[("limit", limit.to_string())],
        )
    }
    /// `JSStreamMaxStreamBytesExceeded`: stream max bytes exceeds account limit max stream bytes
    pub fn stream_max_stream_bytes_exceeded() -> Self {
        Self::new(ApiErrorCode::StreamMaxStreamBytesExceeded)
    }
    /// `JSStreamMoveAndScaleErr`: can not move and scale a stream in a single update
    pub fn stream_move_and_scale() -> Self {
        Self::new(ApiErrorCode::StreamMoveAndScale)
    }
    /// `JSStreamMoveInProgressErr`: stream move already in progress
    pub fn stream_move_in_progress() -> Self {
        Self::new(ApiErrorCode::StreamMoveInProgress)
    }
    /// `JSConsumerMaxRequestBatchExceededF`: consumer max request batch exceeds server limit of {limit}
    pub fn consumer_max_request_batch_exceeded(limit: impl std::fmt::Display) -> Self {
        Self::with_args(
            ApiErrorCode::ConsumerMaxRequestBatchExceeded,
            &[("limit", limit.to_string())],
        )
    }
    /// `JSConsumerReplicasExceedsStream`: consumer config replica count exceeds parent stream
    pub fn consumer_replicas_exceeds_stream() -> Self {
        Self::new(ApiErrorCode::ConsumerReplicasExceedsStream)
    }
    /// `JSConsumerNameContainsPathSeparatorsErr`: Consumer name can not contain path separators
    pub fn consumer_name_contains_path_separators() -> Self {
        Self::new(ApiErrorCode::ConsumerNameContainsPathSeparators)
    }
    /// `JSStreamNameContainsPathSeparatorsErr`: Stream name can not contain path separators
    pub fn stream_name_contains_path_separators() -> Self {
        Self::new(ApiErrorCode::StreamNameContainsPathSeparators)
    }
    /// `JSStreamReconfigureNotInProgressErr`: stream reconfiguration not in progress
    pub fn stream_reconfigure_not_in_progress() -> Self {
        Self::new(ApiErrorCode::StreamReconfigureNotInProgress)
    }
    /// `JSStreamNameExistRestoreFailedErr`: stream name already in use, cannot restore
    pub fn stream_name_exist_restore_failed() -> Self {
        Self::new(ApiErrorCode::StreamNameExistRestoreFailed)
    }
    /// `JSConsumerCreateFilterSubjectMismatchErr`: Consumer create request did not match filtered subject from create subject
    pub fn consumer_create_filter_subject_mismatch() -> Self {
        Self::new(ApiErrorCode::ConsumerCreateFilterSubjectMismatch)
    }
    /// `JSConsumerCreateDurableAndNameMismatch`: Consumer Durable and Name have to be equal if both are provided
    pub fn consumer_create_durable_and_name_mismatch() -> Self {
        Self::new(ApiErrorCode::ConsumerCreateDurableAndNameMismatch)
    }
    /// `JSReplicasCountCannotBeNegative`: replicas count cannot be negative
    pub fn replicas_count_cannot_be_negative() -> Self {
        Self::new(ApiErrorCode::ReplicasCountCannotBeNegative)
    }
    /// `JSConsumerReplicasShouldMatchStream`: consumer config replicas must match interest retention stream's replicas
    pub fn consumer_replicas_should_match_stream() -> Self {
        Self::new(ApiErrorCode::ConsumerReplicasShouldMatchStream)
    }
    /// `JSConsumerMetadataLengthErrF`: consumer metadata exceeds maximum size of {limit}
    pub fn consumer_metadata_length(limit: impl std::fmt::Display) -> Self {
        Self::with_args(
            ApiErrorCode::ConsumerMetadataLength,
            &[("limit", limit.to_string())],
        )
    }
    /// `JSConsumerDuplicateFilterSubjects`: consumer cannot have both FilterSubject and FilterSubjects specified
    pub fn consumer_duplicate_filter_subjects() -> Self {
        Self::new(ApiErrorCode::ConsumerDuplicateFilterSubjects)
    }
    /// `JSConsumerMultipleFiltersNotAllowed`: consumer with multiple subject filters cannot use subject based API
    pub fn consumer_multiple_filters_not_allowed() -> Self {
        Self::new(ApiErrorCode::ConsumerMultipleFiltersNotAllowed)
    }
    /// `JSConsumerOverlappingSubjectFilters`: consumer subject filters cannot overlap
    pub fn consumer_overlapping_subject_filters() -> Self {
        Self::new(ApiErrorCode::ConsumerOverlappingSubjectFilters)
    }
    /// `JSConsumerEmptyFilter`: consumer filter in FilterSubjects cannot be empty
    pub fn consumer_empty_filter() -> Self {
        Self::new(ApiErrorCode::ConsumerEmptyFilter)
    }
    /// `JSSourceDuplicateDetected`: duplicate source configuration detected
    pub fn source_duplicate_detected() -> Self {
        Self::new(ApiErrorCode::SourceDuplicateDetected)
    }
    /// `JSSourceInvalidStreamName`: sourced stream name is invalid
    pub fn source_invalid_stream_name() -> Self {
        Self::new(ApiErrorCode::SourceInvalidStreamName)
    }
    /// `JSMirrorInvalidStreamName`: mirrored stream name is invalid
    pub fn mirror_invalid_stream_name() -> Self {
        Self::new(ApiErrorCode::MirrorInvalidStreamName)
    }
    /// `JSMirrorWithFirstSeqErr`: stream mirrors can not have first sequence configured
    pub fn mirror_with_first_seq() -> Self {
        Self::new(ApiErrorCode::MirrorWithFirstSeq)
    }
    /// `JSSourceMultipleFiltersNotAllowed`: source with multiple subject transforms cannot also have a single subject filter
    pub fn source_multiple_filters_not_allowed() -> Self {
        Self::new(ApiErrorCode::SourceMultipleFiltersNotAllowed)
    }
    /// `JSSourceInvalidSubjectFilter`: source transform source: {err}
    pub fn source_invalid_subject_filter(err: impl std::fmt::Display) -> Self {
        Self::with_args(
            ApiErrorCode::SourceInvalidSubjectFilter,
            &[("err", err.to_string())],
        )
    }
    /// `JSSourceInvalidTransformDestination`: source transform: {err}
    pub fn source_invalid_transform_destination(err: impl std::fmt::Display) -> Self {
        Self::with_args(
            ApiErrorCode::SourceInvalidTransformDestination,
            &[("err", err.to_string())],
        )
    }
    /// `JSSourceOverlappingSubjectFilters`: source filters can not overlap
    pub fn source_overlapping_subject_filters() -> Self {
        Self::new(ApiErrorCode::SourceOverlappingSubjectFilters)
    }
    /// `JSConsumerAlreadyExists`: consumer already exists
    pub fn consumer_already_exists() -> Self {
        Self::new(ApiErrorCode::ConsumerAlreadyExists)
    }
    /// `JSConsumerDoesNotExist`: consumer does not exist
    pub fn consumer_does_not_exist() -> Self {
        Self::new(ApiErrorCode::ConsumerDoesNotExist)
    }
    /// `JSMirrorMultipleFiltersNotAllowed`: mirror with multiple subject transforms cannot also have a single subject filter
    pub fn mirror_multiple_filters_not_allowed() -> Self {
        Self::new(ApiErrorCode::MirrorMultipleFiltersNotAllowed)
    }
    /// `JSMirrorInvalidSubjectFilter`: mirror transform source: {err}
    pub fn mirror_invalid_subject_filter(err: impl std::fmt::Display) -> Self {
        Self::with_args(
            ApiErrorCode::MirrorInvalidSubjectFilter,
            &[("err", err.to_string())],
        )
    }
    /// `JSMirrorOverlappingSubjectFilters`: mirror subject filters can not overlap
    pub fn mirror_overlapping_subject_filters() -> Self {
        Self::new(ApiErrorCode::MirrorOverlappingSubjectFilters)
    }
    /// `JSConsumerInactiveThresholdExcess`: consumer inactive threshold exceeds system limit of {limit}
    pub fn consumer_inactive_threshold_excess(limit: impl std::fmt::Display) -> Self {
        Self::with_args(
            ApiErrorCode::ConsumerInactiveThresholdExcess,
            &[("limit", limit.to_string())],
        )
    }
    /// `JSMirrorInvalidTransformDestination`: mirror transform: {err}
    pub fn mirror_invalid_transform_destination(err: impl std::fmt::Display) -> Self {
        Self::with_args(
            ApiErrorCode::MirrorInvalidTransformDestination,
            &[("err", err.to_string())],
        )
    }
    /// `JSStreamTransformInvalidSource`: stream transform source: {err}
    pub fn stream_transform_invalid_source(err: impl std::fmt::Display) -> Self {
        Self::with_args(
            ApiErrorCode::StreamTransformInvalidSource,
            &[("err", err.to_string())],
        )
    }
    /// `JSStreamTransformInvalidDestination`: stream transform: {err}
    pub fn stream_transform_invalid_destination(err: impl std::fmt::Display) -> Self {
        Self::with_args(
            ApiErrorCode::StreamTransformInvalidDestination,
            &[("err", err.to_string())],
        )
    }
    /// `JSPedanticErrF`: pedantic mode: {err}
    pub fn pedantic(err: impl std::fmt::Display) -> Self {
        Self::with_args(ApiErrorCode::Pedantic, &[("err", err.to_string())])
    }
    /// `JSStreamDuplicateMessageConflict`: duplicate message id is in process
    pub fn stream_duplicate_message_conflict() -> Self {
        Self::new(ApiErrorCode::StreamDuplicateMessageConflict)
    }
    /// `JSConsumerPriorityPolicyWithoutGroup`: Setting PriorityPolicy requires at least one PriorityGroup to be set
    pub fn consumer_priority_policy_without_group() -> Self {
        Self::new(ApiErrorCode::ConsumerPriorityPolicyWithoutGroup)
    }
    /// `JSConsumerInvalidPriorityGroupErr`: Provided priority group does not exist for this consumer
    pub fn consumer_invalid_priority_group() -> Self {
        Self::new(ApiErrorCode::ConsumerInvalidPriorityGroup)
    }
    /// `JSConsumerEmptyGroupName`: Group name cannot be an empty string
    pub fn consumer_empty_group_name() -> Self {
        Self::new(ApiErrorCode::ConsumerEmptyGroupName)
    }
    /// `JSConsumerInvalidGroupNameErr`: Valid priority group name must match A-Z, a-z, 0-9, -_/=)+ and may not exceed 16 characters
    pub fn consumer_invalid_group_name() -> Self {
        Self::new(ApiErrorCode::ConsumerInvalidGroupName)
    }
    /// `JSStreamExpectedLastSeqPerSubjectNotReady`: expected last sequence per subject temporarily unavailable
    pub fn stream_expected_last_seq_per_subject_not_ready() -> Self {
        Self::new(ApiErrorCode::StreamExpectedLastSeqPerSubjectNotReady)
    }
    /// `JSStreamWrongLastSequenceConstantErr`: wrong last sequence
    pub fn stream_wrong_last_sequence_constant() -> Self {
        Self::new(ApiErrorCode::StreamWrongLastSequenceConstant)
    }
    /// `JSMessageTTLInvalidErr`: invalid per-message TTL
    pub fn message_ttl_invalid() -> Self {
        Self::new(ApiErrorCode::MessageTTLInvalid)
    }
    /// `JSMessageTTLDisabledErr`: per-message TTL is disabled
    pub fn message_ttl_disabled() -> Self {
        Self::new(ApiErrorCode::MessageTTLDisabled)
    }
    /// `JSStreamTooManyRequests`: too many requests
    pub fn stream_too_many_requests() -> Self {
        Self::new(ApiErrorCode::StreamTooManyRequests)
    }
    /// `JSMessageIncrDisabledErr`: message counters is disabled
    pub fn message_incr_disabled() -> Self {
        Self::new(ApiErrorCode::MessageIncrDisabled)
    }
    /// `JSMessageIncrMissingErr`: message counter increment is missing
    pub fn message_incr_missing() -> Self {
        Self::new(ApiErrorCode::MessageIncrMissing)
    }
    /// `JSMessageIncrPayloadErr`: message counter has payload
    pub fn message_incr_payload() -> Self {
        Self::new(ApiErrorCode::MessageIncrPayload)
    }
    /// `JSMessageIncrInvalidErr`: message counter increment is invalid
    pub fn message_incr_invalid() -> Self {
        Self::new(ApiErrorCode::MessageIncrInvalid)
    }
    /// `JSMessageCounterBrokenErr`: message counter is broken
    pub fn message_counter_broken() -> Self {
        Self::new(ApiErrorCode::MessageCounterBroken)
    }
    /// `JSMirrorWithCountersErr`: stream mirrors can not also calculate counters
    pub fn mirror_with_counters() -> Self {
        Self::new(ApiErrorCode::MirrorWithCounters)
    }
    /// `JSAtomicPublishDisabledErr`: atomic publish is disabled
    pub fn atomic_publish_disabled() -> Self {
        Self::new(ApiErrorCode::AtomicPublishDisabled)
    }
    /// `JSAtomicPublishMissingSeqErr`: atomic publish sequence is missing
    pub fn atomic_publish_missing_seq() -> Self {
        Self::new(ApiErrorCode::AtomicPublishMissingSeq)
    }
    /// `JSAtomicPublishIncompleteBatchErr`: atomic publish batch is incomplete
    pub fn atomic_publish_incomplete_batch() -> Self {
        Self::new(ApiErrorCode::AtomicPublishIncompleteBatch)
    }
    /// `JSAtomicPublishUnsupportedHeaderBatchErr`: atomic publish unsupported header used: {header}
    pub fn atomic_publish_unsupported_header_batch(header: impl std::fmt::Display) -> Self {
        Self::with_args(
            ApiErrorCode::AtomicPublishUnsupportedHeaderBatch,
            &[("header", header.to_string())],
        )
    }
    /// `JSConsumerPushWithPriorityGroupErr`: priority groups can not be used with push consumers
    pub fn consumer_push_with_priority_group() -> Self {
        Self::new(ApiErrorCode::ConsumerPushWithPriorityGroup)
    }
    /// `JSAtomicPublishInvalidBatchIDErr`: atomic publish batch ID is invalid
    pub fn atomic_publish_invalid_batch_id() -> Self {
        Self::new(ApiErrorCode::AtomicPublishInvalidBatchID)
    }
    /// `JSStreamMinLastSeqErr`: min last sequence
    pub fn stream_min_last_seq() -> Self {
        Self::new(ApiErrorCode::StreamMinLastSeq)
    }
    /// `JSConsumerAckPolicyInvalidErr`: consumer ack policy invalid
    pub fn consumer_ack_policy_invalid() -> Self {
        Self::new(ApiErrorCode::ConsumerAckPolicyInvalid)
    }
    /// `JSConsumerReplayPolicyInvalidErr`: consumer replay policy invalid
    pub fn consumer_replay_policy_invalid() -> Self {
        Self::new(ApiErrorCode::ConsumerReplayPolicyInvalid)
    }
    /// `JSConsumerAckWaitNegativeErr`: consumer ack wait needs to be positive
    pub fn consumer_ack_wait_negative() -> Self {
        Self::new(ApiErrorCode::ConsumerAckWaitNegative)
    }
    /// `JSConsumerBackOffNegativeErr`: consumer backoff needs to be positive
    pub fn consumer_back_off_negative() -> Self {
        Self::new(ApiErrorCode::ConsumerBackOffNegative)
    }
    /// `JSRequiredApiLevelErr`: JetStream minimum api level required
    pub fn required_api_level() -> Self {
        Self::new(ApiErrorCode::RequiredApiLevel)
    }
    /// `JSMirrorWithMsgSchedulesErr`: stream mirrors can not also schedule messages
    pub fn mirror_with_msg_schedules() -> Self {
        Self::new(ApiErrorCode::MirrorWithMsgSchedules)
    }
    /// `JSSourceWithMsgSchedulesErr`: stream source can not also schedule messages
    pub fn source_with_msg_schedules() -> Self {
        Self::new(ApiErrorCode::SourceWithMsgSchedules)
    }
    /// `JSMessageSchedulesDisabledErr`: message schedules is disabled
    pub fn message_schedules_disabled() -> Self {
        Self::new(ApiErrorCode::MessageSchedulesDisabled)
    }
    /// `JSMessageSchedulesPatternInvalidErr`: message schedules pattern is invalid
    pub fn message_schedules_pattern_invalid() -> Self {
        Self::new(ApiErrorCode::MessageSchedulesPatternInvalid)
    }
    /// `JSMessageSchedulesTargetInvalidErr`: message schedules target is invalid
    pub fn message_schedules_target_invalid() -> Self {
        Self::new(ApiErrorCode::MessageSchedulesTargetInvalid)
    }
    /// `JSMessageSchedulesTTLInvalidErr`: message schedules invalid per-message TTL
    pub fn message_schedules_ttl_invalid() -> Self {
        Self::new(ApiErrorCode::MessageSchedulesTTLInvalid)
    }
    /// `JSMessageSchedulesRollupInvalidErr`: message schedules invalid rollup
    pub fn message_schedules_rollup_invalid() -> Self {
        Self::new(ApiErrorCode::MessageSchedulesRollupInvalid)
    }
    /// `JSStreamExpectedLastSeqPerSubjectInvalid`: missing sequence for expected last sequence per subject
    pub fn stream_expected_last_seq_per_subject_invalid() -> Self {
        Self::new(ApiErrorCode::StreamExpectedLastSeqPerSubjectInvalid)
    }
    /// `JSStreamOfflineReasonErrF`: stream is offline: {err}
    pub fn stream_offline_reason(err: impl std::fmt::Display) -> Self {
        Self::with_args(
            ApiErrorCode::StreamOfflineReason,
            &[("err", err.to_string())],
        )
    }
    /// `JSConsumerOfflineReasonErrF`: consumer is offline: {err}
    pub fn consumer_offline_reason(err: impl std::fmt::Display) -> Self {
        Self::with_args(
            ApiErrorCode::ConsumerOfflineReason,
            &[("err", err.to_string())],
        )
    }
    /// `JSConsumerPriorityGroupWithPolicyNone`: consumer can not have priority groups when policy is none
    pub fn consumer_priority_group_with_policy_none() -> Self {
        Self::new(ApiErrorCode::ConsumerPriorityGroupWithPolicyNone)
    }
    /// `JSConsumerPinnedTTLWithoutPriorityPolicyNone`: PinnedTTL cannot be set when PriorityPolicy is none
    pub fn consumer_pinned_ttl_without_priority_policy_none() -> Self {
        Self::new(ApiErrorCode::ConsumerPinnedTTLWithoutPriorityPolicyNone)
    }
    /// `JSMirrorWithAtomicPublishErr`: stream mirrors can not also use atomic publishing
    pub fn mirror_with_atomic_publish() -> Self {
        Self::new(ApiErrorCode::MirrorWithAtomicPublish)
    }
    /// `JSAtomicPublishTooLargeBatchErrF`: atomic publish batch is too large: {size}
    pub fn atomic_publish_too_large_batch(size: impl std::fmt::Display) -> Self {
        Self::with_args(
            ApiErrorCode::AtomicPublishTooLargeBatch,
            &[("size", size.to_string())],
        )
    }
    /// `JSAtomicPublishInvalidBatchCommitErr`: atomic publish batch commit is invalid
    pub fn atomic_publish_invalid_batch_commit() -> Self {
        Self::new(ApiErrorCode::AtomicPublishInvalidBatchCommit)
    }
    /// `JSAtomicPublishContainsDuplicateMessageErr`: atomic publish batch contains duplicate message id
    pub fn atomic_publish_contains_duplicate_message() -> Self {
        Self::new(ApiErrorCode::AtomicPublishContainsDuplicateMessage)
    }
    /// `JSClusterServerMemberChangeInflightErr`: cluster member change is in progress
    pub fn cluster_server_member_change_inflight() -> Self {
        Self::new(ApiErrorCode::ClusterServerMemberChangeInflight)
    }
    /// `JSMessageSchedulesSourceInvalidErr`: message schedules source is invalid
    pub fn message_schedules_source_invalid() -> Self {
        Self::new(ApiErrorCode::MessageSchedulesSourceInvalid)
    }
    /// `JSConsumerInvalidResetErr`: invalid reset: {err}
    pub fn consumer_invalid_reset(err: impl std::fmt::Display) -> Self {
        Self::with_args(
            ApiErrorCode::ConsumerInvalidReset,
            &[("err", err.to_string())],
        )
    }
    /// `JSBatchPublishDisabledErr`: batch publish is disabled
    pub fn batch_publish_disabled() -> Self {
        Self::new(ApiErrorCode::BatchPublishDisabled)
    }
    /// `JSBatchPublishInvalidPatternErr`: batch publish pattern is invalid
    pub fn batch_publish_invalid_pattern() -> Self {
        Self::new(ApiErrorCode::BatchPublishInvalidPattern)
    }
    /// `JSBatchPublishInvalidBatchIDErr`: batch publish ID is invalid
    pub fn batch_publish_invalid_batch_id() -> Self {
        Self::new(ApiErrorCode::BatchPublishInvalidBatchID)
    }
    /// `JSBatchPublishUnknownBatchIDErr`: batch publish ID unknown
    pub fn batch_publish_unknown_batch_id() -> Self {
        Self::new(ApiErrorCode::BatchPublishUnknownBatchID)
    }
    /// `JSMirrorWithBatchPublishErr`: stream mirrors can not also use batch publishing
    pub fn mirror_with_batch_publish() -> Self {
        Self::new(ApiErrorCode::MirrorWithBatchPublish)
    }
    /// `JSAtomicPublishTooManyInflight`: atomic publish too many inflight
    pub fn atomic_publish_too_many_inflight() -> Self {
        Self::new(ApiErrorCode::AtomicPublishTooManyInflight)
    }
    /// `JSBatchPublishTooManyInflight`: batch publish too many inflight
    pub fn batch_publish_too_many_inflight() -> Self {
        Self::new(ApiErrorCode::BatchPublishTooManyInflight)
    }
    /// `JSMessageSchedulesSchedulerInvalidErr`: message schedules invalid scheduler
    pub fn message_schedules_scheduler_invalid() -> Self {
        Self::new(ApiErrorCode::MessageSchedulesSchedulerInvalid)
    }
    /// `JSMirrorDurableConsumerCfgInvalid`: stream mirror consumer config is invalid
    pub fn mirror_durable_consumer_cfg_invalid() -> Self {
        Self::new(ApiErrorCode::MirrorDurableConsumerCfgInvalid)
    }
    /// `JSMirrorConsumerRequiresAckFCErr`: stream mirror consumer requires flow control ack policy
    pub fn mirror_consumer_requires_ack_fc() -> Self {
        Self::new(ApiErrorCode::MirrorConsumerRequiresAckFC)
    }
    /// `JSSourceDurableConsumerCfgInvalid`: stream source consumer config is invalid
    pub fn source_durable_consumer_cfg_invalid() -> Self {
        Self::new(ApiErrorCode::SourceDurableConsumerCfgInvalid)
    }
    /// `JSSourceDurableConsumerDuplicateDetected`: duplicate stream source consumer detected
    pub fn source_durable_consumer_duplicate_detected() -> Self {
        Self::new(ApiErrorCode::SourceDurableConsumerDuplicateDetected)
    }
    /// `JSSourceConsumerRequiresAckFCErr`: stream source consumer requires flow control ack policy
    pub fn source_consumer_requires_ack_fc() -> Self {
        Self::new(ApiErrorCode::SourceConsumerRequiresAckFC)
    }
    /// `JSConsumerAckFCRequiresPushErr`: flow control ack policy requires a push based consumer
    pub fn consumer_ack_fc_requires_push() -> Self {
        Self::new(ApiErrorCode::ConsumerAckFCRequiresPush)
    }
    /// `JSConsumerAckFCRequiresFCErr`: flow control ack policy requires flow control
    pub fn consumer_ack_fc_requires_fc() -> Self {
        Self::new(ApiErrorCode::ConsumerAckFCRequiresFC)
    }
    /// `JSConsumerAckFCRequiresMaxAckPendingErr`: flow control ack policy requires max ack pending
    pub fn consumer_ack_fc_requires_max_ack_pending() -> Self {
        Self::new(ApiErrorCode::ConsumerAckFCRequiresMaxAckPending)
    }
    /// `JSConsumerAckFCRequiresNoAckWaitErr`: flow control ack policy requires unset ack wait
    pub fn consumer_ack_fc_requires_no_ack_wait() -> Self {
        Self::new(ApiErrorCode::ConsumerAckFCRequiresNoAckWait)
    }
    /// `JSConsumerAckFCRequiresNoMaxDeliverErr`: flow control ack policy requires unset max deliver
    pub fn consumer_ack_fc_requires_no_max_deliver() -> Self {
        Self::new(ApiErrorCode::ConsumerAckFCRequiresNoMaxDeliver)
    }
    /// `JSMessageSchedulesTimeZoneInvalidErr`: message schedules time zone is invalid
    pub fn message_schedules_time_zone_invalid() -> Self {
        Self::new(ApiErrorCode::MessageSchedulesTimeZoneInvalid)
    }
    /// `JSClusterRescueErr`: JetStream system rescue not applied: {err}
    pub fn cluster_rescue(err: impl std::fmt::Display) -> Self {
        Self::with_args(ApiErrorCode::ClusterRescue, &[("err", err.to_string())])
    }
    /// `JSConsumerStreamIdentityMismatchF`: consumer's stream identity does not match: {msg}
    pub fn consumer_stream_identity_mismatch(msg: impl std::fmt::Display) -> Self {
        Self::with_args(
            ApiErrorCode::ConsumerStreamIdentityMismatch,
            &[("msg", msg.to_string())],
        )
    }
    /// `JSStreamReconfigureInProgressErr`: stream reconfiguration already in progress
    pub fn stream_reconfigure_in_progress() -> Self {
        Self::new(ApiErrorCode::StreamReconfigureInProgress)
    }
    /// `JSMessageSourceHdrNotAllowedErr`: message stream source header is not allowed
    pub fn message_source_hdr_not_allowed() -> Self {
        Self::new(ApiErrorCode::MessageSourceHdrNotAllowed)
    }
}
