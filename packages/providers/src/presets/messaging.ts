import type { Preset } from "../preset-types.ts";

export const slackIncomingWebhook: Preset = {
  id: "slack-incoming-webhook",
  providerType: "messaging",
  provider: "Slack",
  name: "Slack: post to an incoming webhook",
  description:
    "Posts a message to a Slack channel through an incoming webhook. The webhook URL is the credential, so its " +
    "three parts (https://hooks.slack.com/services/T…/B…/…) are stored as secrets and never shown again.",
  docsUrl: "https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks",
  sourceEvent: "order.created",
  destination: {
    url: "https://hooks.slack.com/services/<<secret.workspaceId>>/<<secret.webhookId>>/<<secret.webhookToken>>",
    method: "POST",
    bodyEncoding: "json",
  },
  mapping: {
    // 49.9 reads as 49.90: money with its two decimals and a thousands separator.
    text: "{% 'New order ' & payload.orderId & ' for ' & $formatNumber(payload.total, '#,##0.00') & ' ' & payload.currency %}",
  },
  secrets: [
    {
      name: "workspaceId",
      label: "Workspace id (T…)",
      description: "The first part of the webhook URL after /services/ (T…).",
    },
    { name: "webhookId", label: "Webhook id (B…)", description: "The second part of the webhook URL (B…)." },
    {
      name: "webhookToken",
      label: "Webhook token",
      description: "The last part of the webhook URL: the token that lets anyone post.",
    },
  ],
  parameters: [],
  sampleEvent: { name: "order.created", payload: { orderId: "ord_1001", total: 49.9, currency: "USD" } },
};

/** payload.phone in E.164 (+ country code, then digits: https://www.twilio.com/docs/glossary/what-e164). */
const TWILIO_E164 = `{% $exists(payload.phone) ? (
  $raw := $trim($string(payload.phone));
  $digits := $replace($raw, /[^0-9]/, '');
  $substring($raw, 0, 1) = '+' ? '+' & $digits
  : $substring($digits, 0, 2) = '00' ? '+' & $substring($digits, 2)
  : $exists(payload.countryCode) ? '+' & $replace($string(payload.countryCode), /[^0-9]/, '') & $replace($digits, /^0+/, '')
  : '+' & $digits
) %}`;

export const twilioSms: Preset = {
  id: "twilio-sms",
  providerType: "messaging",
  provider: "Twilio",
  name: "Twilio: send an SMS",
  description:
    "Sends an SMS through Twilio's Messages resource. Form-encoded body; HTTP basic auth built from two " +
    "secrets (Account SID as user, Auth Token as password). The phone number is sent in E.164 as Twilio asks: " +
    "spaces, dashes and brackets removed, a leading 00 read as +, and a national number (07700 900123) given " +
    "the event's countryCode (44) without its trunk 0.",
  docsUrl: "https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource",
  sourceEvent: "notification.sms",
  destination: {
    url: "https://api.twilio.com/2010-04-01/Accounts/<<secret.accountSid>>/Messages.json",
    method: "POST",
    bodyEncoding: "form",
  },
  auth: { type: "basic", usernameSecret: "accountSid", passwordSecret: "authToken" },
  mapping: { To: TWILIO_E164, From: "<<param.fromNumber>>", Body: "$.payload.text" },
  secrets: [
    {
      name: "accountSid",
      label: "Account SID",
      description: "Your Twilio Account SID (AC…): in the URL and the basic-auth user.",
    },
    { name: "authToken", label: "Auth token", description: "Your Twilio Auth Token: the basic-auth password." },
  ],
  parameters: [
    {
      name: "fromNumber",
      label: "Sender phone number",
      description: "The Twilio phone number messages are sent from (E.164).",
      example: "+15005550006",
    },
  ],
  sampleEvent: {
    name: "notification.sms",
    payload: { phone: "+55 (11) 99999-0000", text: "Your order ord_1001 shipped" },
  },
};

export const sendgridMailSend: Preset = {
  id: "sendgrid-mail-send",
  providerType: "messaging",
  provider: "SendGrid",
  name: "SendGrid: send an email",
  description: "Sends a plain-text email with SendGrid's v3 Mail Send API. JSON body, bearer API key.",
  docsUrl: "https://www.twilio.com/docs/sendgrid/api-reference/mail-send/mail-send",
  sourceEvent: "notification.email",
  destination: {
    url: "https://api.sendgrid.com/v3/mail/send",
    method: "POST",
    headers: { Authorization: "Bearer <<secret.apiKey>>" },
    bodyEncoding: "json",
  },
  mapping: {
    personalizations: [{ to: [{ email: "$.payload.to" }] }],
    from: { email: "<<param.fromEmail>>" },
    subject: "$.payload.subject",
    content: [{ type: "text/plain", value: "$.payload.text" }],
  },
  secrets: [
    { name: "apiKey", label: "SendGrid API key", description: "A SendGrid API key (SG.…) with Mail Send permission." },
  ],
  parameters: [
    {
      name: "fromEmail",
      label: "Sender email address",
      description: "A verified sender address.",
      example: "orders@example.com",
    },
  ],
  sampleEvent: {
    name: "notification.email",
    payload: { to: "ana@example.com", subject: "Order ord_1001 shipped", text: "It is on its way." },
  },
};
