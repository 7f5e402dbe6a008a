// Calls kelmu-gateway's getBenefitData from node.js with the npm package `soap`, signed with
// WSSecurityCert (WS-Security X.509: RSA-SHA256, SHA-256 digests, exclusive C14N, BinarySecurityToken).
// See README.md next to this file for the key extraction and the commands.
//
//   node get-benefit-data.js [KEY.pem CERT.pem]
//
// Environment (all optional): KELMU_KEY, KELMU_CERT (PEM files when no arguments; default key.pem, cert.pem),
// KELMU_URL (default http://localhost:$KELMU_HTTP_PORT or 8080/ws/BenefitInformationService), KELMU_MEMBER_CLASS (GOV),
// KELMU_MEMBER_CODE (9000001-1), KELMU_USER_ID (FI010594Y9032),
// KELMU_REQUEST (../get-benefit-data.xml), KELMU_ANSWER (answer.xml: the raw answer is saved there).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { createHash, randomUUID } = require('node:crypto');
const soap = require('soap');

const env = process.env;
const keyFile = process.argv[2] || env.KELMU_KEY || 'key.pem';
const certFile = process.argv[3] || env.KELMU_CERT || 'cert.pem';
const url = env.KELMU_URL || `http://localhost:${env.KELMU_HTTP_PORT || 8080}/ws/BenefitInformationService`;
const memberClass = env.KELMU_MEMBER_CLASS || 'GOV';
const memberCode = env.KELMU_MEMBER_CODE || '9000001-1'; // must be the Y-tunnus in the certificate
const userId = env.KELMU_USER_ID || 'FI010594Y9032';
const requestFile = env.KELMU_REQUEST || path.join(__dirname, '..', 'get-benefit-data.xml');
const answerFile = env.KELMU_ANSWER || 'answer.xml';

// X-Road 4.0 headers as literal XML. The identifiers namespace gets the prefix `iden`, NOT the usual `id`:
// xml-crypto (behind soap) takes an `xmlns:id` declaration on an element it signs for that element's
// id attribute and writes Reference URI="#http://x-road.eu/xsd/identifiers", which no verifier resolves.
const XRD = 'xmlns:xrd="http://x-road.eu/xsd/xroad.xsd"';
const NS = `${XRD} xmlns:iden="http://x-road.eu/xsd/identifiers"`;
const parts = (o) => Object.entries(o).map(([k, v]) => `<iden:${k}>${v}</iden:${k}>`).join('');
const xroadHeaders = [
  `<xrd:client ${NS} iden:objectType="MEMBER">${parts({ xRoadInstance: 'FI', memberClass, memberCode })}</xrd:client>`,
  `<xrd:service ${NS} iden:objectType="SERVICE">${parts({ xRoadInstance: 'FI', memberClass: 'GOV',
    memberCode: '0246246-0', subsystemCode: 'kelmu', serviceCode: 'getBenefitData', serviceVersion: 'v1' })}</xrd:service>`,
  `<xrd:id ${XRD}>${randomUUID()}</xrd:id>`, // fresh per message: the gateway refuses a replayed id
  `<xrd:userId ${XRD}>${userId}</xrd:userId>`,
  `<xrd:protocolVersion ${XRD}>4.0</xrd:protocolVersion>`,
];

async function main() {
  const client = await soap.createClientAsync(`${url}?wsdl`, { endpoint: url });
  xroadHeaders.forEach((h) => client.addSoapHeader(h));

  // WSSecurityCert signs Body and Timestamp by default; `additionalReferences` (element names as written,
  // prefix included) adds every X-Road header. It sets mustUnderstand="1" on the Security header and bare
  // Id attributes on the signed elements; the gateway accepts both. CERT.pem must hold the certificate
  // only: WSSecurityCert copies everything but the BEGIN/END lines into the BinarySecurityToken.
  client.setSecurity(new soap.WSSecurityCert(fs.readFileSync(keyFile), fs.readFileSync(certFile), undefined, {
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    additionalReferences: ['xrd:client', 'xrd:service', 'xrd:id', 'xrd:userId', 'xrd:protocolVersion'],
  }));

  // The request body: the getBenefitData element of the sample envelope, read by soap's own parser.
  const args = client.wsdl.xmlToObject(fs.readFileSync(requestFile, 'utf8')).Body.getBenefitData;

  // The gateway signs every answer, faults too, and echoes the X-Road headers with requestHash, the SHA-512
  // of the request's bytes. Verify the signature over the saved bytes with xmlsec1 (README.md).
  const save = (raw) => {
    fs.writeFileSync(answerFile, raw); // exactly as received: what the gateway signed
    const hash = createHash('sha512').update(client.lastRequest).digest('base64');
    console.error(`answer saved to ${answerFile}; its requestHash ${raw.includes(`>${hash}</`) ? 'matches' : 'does NOT match'} this request`);
  };
  try {
    const [result, rawAnswer] = await client.getBenefitDataAsync(args);
    console.log(JSON.stringify(result, null, 2));
    save(rawAnswer);
  } catch (err) {
    const fault = err.root?.Envelope?.Body?.Fault;
    if (!fault) throw err; // not a SOAP fault: network, HTTP or parsing error
    console.error(`SOAP fault ${fault.faultcode}: ${fault.faultstring}`);
    save(err.body);
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err.message);
  process.exitCode = 2;
});
