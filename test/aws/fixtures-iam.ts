import { ACCOUNT } from "./nock-aws.js";

/** Real wire format of IAM's query protocol, shaped after the examples of the IAM API reference. */
const envelope = (action: string, result: string) => `<${action}Response xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <${action}Result>${result}</${action}Result>
  <ResponseMetadata><RequestId>92e79ae7-7399-11e4-8c85-4b53eEXAMPLE</RequestId></ResponseMetadata>
</${action}Response>`;

// Policy documents exactly as IAM sends them: URL-encoded JSON (RFC 3986).
const S3_READ = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%5B%22s3%3AGetObject%22%2C%22s3%3AListBucket%22%5D%2C%22Resource%22%3A%22*%22%7D%5D%7D";
const EC2_TRUST = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22ec2.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D";
const ADMIN_DOC = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22*%22%2C%22Resource%22%3A%22*%22%7D%5D%7D";

export const GAAD_PAGE_1 = envelope("GetAccountAuthorizationDetails", `
    <IsTruncated>true</IsTruncated>
    <Marker>EXAMPLEkakv9BCuUNFDtxWSyfzetYwEx2ADc8dnzfvERF5S6YMvXKx41t6gCl/eeaCX3Jo94/bKqezEAg8TEVS99EKFLxm3jtbpl25FDWEXAMPLE</Marker>
    <UserDetailList>
      <member>
        <GroupList><member>Admins</member></GroupList>
        <AttachedManagedPolicies/>
        <UserId>AIDACKCEVSQ6C2EXAMPLE</UserId>
        <Path>/</Path>
        <UserName>Alice</UserName>
        <Arn>arn:aws:iam::${ACCOUNT}:user/Alice</Arn>
        <CreateDate>2013-10-14T18:32:24Z</CreateDate>
        <UserPolicyList>
          <member><PolicyName>s3-read</PolicyName><PolicyDocument>${S3_READ}</PolicyDocument></member>
        </UserPolicyList>
        <Tags><member><Key>team</Key><Value>payments</Value></member></Tags>
      </member>
      <member>
        <GroupList/>
        <AttachedManagedPolicies>
          <member><PolicyName>AdministratorAccess</PolicyName><PolicyArn>arn:aws:iam::aws:policy/AdministratorAccess</PolicyArn></member>
        </AttachedManagedPolicies>
        <UserId>AIDACKCEVSQ6C3EXAMPLE</UserId>
        <Path>/ops/</Path>
        <UserName>Bob</UserName>
        <Arn>arn:aws:iam::${ACCOUNT}:user/ops/Bob</Arn>
        <CreateDate>2014-01-02T10:00:00Z</CreateDate>
        <PermissionsBoundary>
          <PermissionsBoundaryType>Policy</PermissionsBoundaryType>
          <PermissionsBoundaryArn>arn:aws:iam::${ACCOUNT}:policy/boundary</PermissionsBoundaryArn>
        </PermissionsBoundary>
      </member>
    </UserDetailList>
    <GroupDetailList>
      <member>
        <GroupId>AIDACKCEVSQ6C7EXAMPLE</GroupId>
        <AttachedManagedPolicies>
          <member><PolicyName>AdministratorAccess</PolicyName><PolicyArn>arn:aws:iam::aws:policy/AdministratorAccess</PolicyArn></member>
        </AttachedManagedPolicies>
        <GroupName>Admins</GroupName>
        <Path>/admins/</Path>
        <Arn>arn:aws:iam::${ACCOUNT}:group/admins/Admins</Arn>
        <CreateDate>2013-10-14T18:32:24Z</CreateDate>
        <GroupPolicyList/>
      </member>
    </GroupDetailList>
    <RoleDetailList/>
    <Policies/>`);

export const GAAD_PAGE_2 = envelope("GetAccountAuthorizationDetails", `
    <IsTruncated>false</IsTruncated>
    <UserDetailList/>
    <GroupDetailList/>
    <RoleDetailList>
      <member>
        <AssumeRolePolicyDocument>${EC2_TRUST}</AssumeRolePolicyDocument>
        <RoleId>AROAFP4BKI7Y7TEXAMPLE</RoleId>
        <InstanceProfileList/>
        <RoleName>support-team</RoleName>
        <Path>/</Path>
        <AttachedManagedPolicies>
          <member><PolicyName>AWSSupportAccess</PolicyName><PolicyArn>arn:aws:iam::aws:policy/AWSSupportAccess</PolicyArn></member>
        </AttachedManagedPolicies>
        <RolePolicyList/>
        <Arn>arn:aws:iam::${ACCOUNT}:role/support-team</Arn>
        <CreateDate>2014-07-30T17:09:20Z</CreateDate>
        <RoleLastUsed><LastUsedDate>2025-12-30T08:00:00Z</LastUsedDate><Region>eu-west-1</Region></RoleLastUsed>
        <Tags/>
      </member>
      <member>
        <AssumeRolePolicyDocument>${EC2_TRUST}</AssumeRolePolicyDocument>
        <RoleId>AROAFP4BKI7Y7UEXAMPLE</RoleId>
        <InstanceProfileList/>
        <RoleName>AWSServiceRoleForSupport</RoleName>
        <Path>/aws-service-role/support.amazonaws.com/</Path>
        <AttachedManagedPolicies/>
        <RolePolicyList/>
        <Arn>arn:aws:iam::${ACCOUNT}:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport</Arn>
        <CreateDate>2019-01-01T00:00:00Z</CreateDate>
        <RoleLastUsed/>
      </member>
    </RoleDetailList>
    <Policies>
      <member>
        <PolicyName>s3-readers</PolicyName>
        <DefaultVersionId>v2</DefaultVersionId>
        <PolicyId>ANPAJ2UCCR6DPCEXAMPLE</PolicyId>
        <Path>/</Path>
        <PolicyVersionList>
          <member><Document>${S3_READ}</Document><IsDefaultVersion>true</IsDefaultVersion><VersionId>v2</VersionId><CreateDate>2015-02-01T00:00:00Z</CreateDate></member>
          <member><Document>${ADMIN_DOC}</Document><IsDefaultVersion>false</IsDefaultVersion><VersionId>v1</VersionId><CreateDate>2015-01-01T00:00:00Z</CreateDate></member>
        </PolicyVersionList>
        <Arn>arn:aws:iam::${ACCOUNT}:policy/s3-readers</Arn>
        <AttachmentCount>0</AttachmentCount>
        <IsAttachable>true</IsAttachable>
        <CreateDate>2015-01-01T00:00:00Z</CreateDate>
        <UpdateDate>2015-02-01T00:00:00Z</UpdateDate>
      </member>
      <member>
        <PolicyName>AdministratorAccess</PolicyName>
        <DefaultVersionId>v1</DefaultVersionId>
        <PolicyId>ANPAIWMBCKSKIEE64ZLYK</PolicyId>
        <Path>/</Path>
        <PolicyVersionList>
          <member><Document>${ADMIN_DOC}</Document><IsDefaultVersion>true</IsDefaultVersion><VersionId>v1</VersionId><CreateDate>2015-02-06T18:39:46Z</CreateDate></member>
        </PolicyVersionList>
        <Arn>arn:aws:iam::aws:policy/AdministratorAccess</Arn>
        <AttachmentCount>2</AttachmentCount>
        <IsAttachable>true</IsAttachable>
        <CreateDate>2015-02-06T18:39:46Z</CreateDate>
        <UpdateDate>2015-02-06T18:39:46Z</UpdateDate>
      </member>
      <member>
        <PolicyName>ReadOnlyAccess</PolicyName>
        <DefaultVersionId>v1</DefaultVersionId>
        <PolicyId>ANPAILL3HVNFSB6DCOWYQ</PolicyId>
        <Path>/</Path>
        <PolicyVersionList>
          <member><Document>${S3_READ}</Document><IsDefaultVersion>true</IsDefaultVersion><VersionId>v1</VersionId><CreateDate>2015-02-06T18:39:48Z</CreateDate></member>
        </PolicyVersionList>
        <Arn>arn:aws:iam::aws:policy/ReadOnlyAccess</Arn>
        <AttachmentCount>0</AttachmentCount>
        <IsAttachable>true</IsAttachable>
        <CreateDate>2015-02-06T18:39:48Z</CreateDate>
        <UpdateDate>2015-02-06T18:39:48Z</UpdateDate>
      </member>
    </Policies>`);

export const generateReport = (state: "STARTED" | "INPROGRESS" | "COMPLETE") => envelope("GenerateCredentialReport",
  `<Description>No report exists. Starting a new report generation task</Description><State>${state}</State>`);

export const CREDENTIAL_REPORT_CSV = [
  "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated",
  `<root_account>,arn:aws:iam::${ACCOUNT}:root,2012-06-01T14:32:11+00:00,not_supported,2025-12-24T09:15:02+00:00,not_supported,not_supported,true,true,2016-03-01T10:00:00+00:00,2025-11-30T23:00:00+00:00,us-east-1,iam,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
  `Alice,arn:aws:iam::${ACCOUNT}:user/Alice,2013-10-14T18:32:24+00:00,true,no_information,2025-06-01T09:00:00+00:00,N/A,false,true,2024-01-10T08:00:00+00:00,N/A,N/A,N/A,false,2023-01-01T00:00:00+00:00,2023-02-01T00:00:00+00:00,eu-west-1,s3,false,N/A,false,N/A`,
].join("\n");

export const GET_CREDENTIAL_REPORT = envelope("GetCredentialReport", `
    <Content>${Buffer.from(CREDENTIAL_REPORT_CSV).toString("base64")}</Content>
    <ReportFormat>text/csv</ReportFormat>
    <GeneratedTime>2026-01-15T11:00:00Z</GeneratedTime>`);

export const PASSWORD_POLICY = envelope("GetAccountPasswordPolicy", `
    <PasswordPolicy>
      <AllowUsersToChangePassword>true</AllowUsersToChangePassword>
      <RequireUppercaseCharacters>true</RequireUppercaseCharacters>
      <RequireSymbols>true</RequireSymbols>
      <ExpirePasswords>false</ExpirePasswords>
      <PasswordReusePrevention>12</PasswordReusePrevention>
      <RequireLowercaseCharacters>true</RequireLowercaseCharacters>
      <MaxPasswordAge>90</MaxPasswordAge>
      <HardExpiry>false</HardExpiry>
      <RequireNumbers>true</RequireNumbers>
      <MinimumPasswordLength>12</MinimumPasswordLength>
    </PasswordPolicy>`);

export const ACCOUNT_SUMMARY = envelope("GetAccountSummary", `
    <SummaryMap>
      <entry><key>Groups</key><value>1</value></entry>
      <entry><key>Users</key><value>2</value></entry>
      <entry><key>AccountMFAEnabled</key><value>1</value></entry>
      <entry><key>AccountAccessKeysPresent</key><value>1</value></entry>
      <entry><key>MFADevicesInUse</key><value>1</value></entry>
    </SummaryMap>`);

export const virtualMfaPage = (truncated: boolean, serial: string, userArn: string) => envelope("ListVirtualMFADevices", `
    <IsTruncated>${truncated}</IsTruncated>${truncated ? "<Marker>page2</Marker>" : ""}
    <VirtualMFADevices>
      <member>
        <SerialNumber>${serial}</SerialNumber>
        <User><Path>/</Path><UserName>${userArn.endsWith(":root") ? ACCOUNT : "Alice"}</UserName><UserId>${ACCOUNT}</UserId><Arn>${userArn}</Arn><CreateDate>2012-06-01T14:32:11Z</CreateDate></User>
        <EnableDate>2020-01-01T00:00:00Z</EnableDate>
      </member>
    </VirtualMFADevices>`);

export const SERVER_CERTIFICATES = envelope("ListServerCertificates", `
    <IsTruncated>false</IsTruncated>
    <ServerCertificateMetadataList>
      <member>
        <ServerCertificateId>ASCACKCEVSQ6C2EXAMPLE</ServerCertificateId>
        <ServerCertificateName>ProdServerCert</ServerCertificateName>
        <Path>/company/servercerts/</Path>
        <Arn>arn:aws:iam::${ACCOUNT}:server-certificate/company/servercerts/ProdServerCert</Arn>
        <UploadDate>2010-05-08T01:02:03.004Z</UploadDate>
        <Expiration>2012-05-08T01:02:03.004Z</Expiration>
      </member>
    </ServerCertificateMetadataList>`);
