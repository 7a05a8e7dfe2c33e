/** Real wire format of S3's REST XML API, shaped after the examples of the S3 API reference. */
const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';
const DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';

export const listBucketsPage = (buckets: [string, string][], token?: string) => `${DECL}<ListAllMyBucketsResult ${NS}>
  <Owner><ID>79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be</ID><DisplayName>webfile</DisplayName></Owner>
  <Buckets>${buckets.map(([name, region]) => `
    <Bucket><Name>${name}</Name><CreationDate>2019-12-11T23:32:47+00:00</CreationDate><BucketRegion>${region}</BucketRegion></Bucket>`).join("")}
  </Buckets>${token ? `\n  <ContinuationToken>${token}</ContinuationToken>` : ""}
  <Prefix></Prefix>
</ListAllMyBucketsResult>`;

export const PUBLIC_ACCESS_BLOCK = `${DECL}<PublicAccessBlockConfiguration ${NS}>
  <BlockPublicAcls>true</BlockPublicAcls>
  <IgnorePublicAcls>true</IgnorePublicAcls>
  <BlockPublicPolicy>false</BlockPublicPolicy>
  <RestrictPublicBuckets>false</RestrictPublicBuckets>
</PublicAccessBlockConfiguration>`;

export const ACCOUNT_PUBLIC_ACCESS_BLOCK = `${DECL}<PublicAccessBlockConfiguration xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/">
  <BlockPublicAcls>true</BlockPublicAcls>
  <IgnorePublicAcls>true</IgnorePublicAcls>
  <BlockPublicPolicy>true</BlockPublicPolicy>
  <RestrictPublicBuckets>true</RestrictPublicBuckets>
</PublicAccessBlockConfiguration>`;

export const POLICY_STATUS_PUBLIC = `${DECL}<PolicyStatus ${NS}><IsPublic>true</IsPublic></PolicyStatus>`;

export const PUBLIC_POLICY = JSON.stringify({
  Version: "2012-10-17", Id: "public-read",
  Statement: [{ Sid: "PublicRead", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::site-assets/*" }],
});

export const ACL_PUBLIC_READ = `${DECL}<AccessControlPolicy ${NS}>
  <Owner><ID>79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be</ID><DisplayName>webfile</DisplayName></Owner>
  <AccessControlList>
    <Grant>
      <Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser">
        <ID>79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be</ID><DisplayName>webfile</DisplayName>
      </Grantee>
      <Permission>FULL_CONTROL</Permission>
    </Grant>
    <Grant>
      <Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee>
      <Permission>READ</Permission>
    </Grant>
  </AccessControlList>
</AccessControlPolicy>`;

export const OWNERSHIP_OBJECT_WRITER = `${DECL}<OwnershipControls ${NS}><Rule><ObjectOwnership>ObjectWriter</ObjectOwnership></Rule></OwnershipControls>`;

export const TAGGING = `${DECL}<Tagging ${NS}><TagSet><Tag><Key>team</Key><Value>web</Value></Tag><Tag><Key>env</Key><Value>prod</Value></Tag></TagSet></Tagging>`;

export const VERSIONING_ENABLED = `${DECL}<VersioningConfiguration ${NS}><Status>Enabled</Status><MfaDelete>Enabled</MfaDelete></VersioningConfiguration>`;
export const VERSIONING_NEVER = `${DECL}<VersioningConfiguration ${NS}/>`;

export const ENCRYPTION_KMS = `${DECL}<ServerSideEncryptionConfiguration ${NS}>
  <Rule>
    <ApplyServerSideEncryptionByDefault>
      <SSEAlgorithm>aws:kms</SSEAlgorithm>
      <KMSMasterKeyID>arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab</KMSMasterKeyID>
    </ApplyServerSideEncryptionByDefault>
    <BucketKeyEnabled>true</BucketKeyEnabled>
  </Rule>
</ServerSideEncryptionConfiguration>`;

export const LOGGING_ON = `${DECL}<BucketLoggingStatus ${NS}>
  <LoggingEnabled><TargetBucket>access-logs</TargetBucket><TargetPrefix>site-assets/</TargetPrefix></LoggingEnabled>
</BucketLoggingStatus>`;
export const LOGGING_OFF = `${DECL}<BucketLoggingStatus ${NS} />`;

export const OBJECT_LOCK = `${DECL}<ObjectLockConfiguration ${NS}>
  <ObjectLockEnabled>Enabled</ObjectLockEnabled>
  <Rule><DefaultRetention><Mode>COMPLIANCE</Mode><Years>7</Years></DefaultRetention></Rule>
</ObjectLockConfiguration>`;
