// Package entry: n8n loads the files listed in package.json "n8n"; this lets code require the classes.
module.exports = {
	XCustomerFeedback: require('./dist/nodes/XCustomerFeedback/XCustomerFeedback.node.js').XCustomerFeedback,
	XCustomerFeedbackTrigger: require('./dist/nodes/XCustomerFeedbackTrigger/XCustomerFeedbackTrigger.node.js')
		.XCustomerFeedbackTrigger,
	XCustomerFeedbackWebhookTrigger: require('./dist/nodes/XCustomerFeedbackWebhookTrigger/XCustomerFeedbackWebhookTrigger.node.js')
		.XCustomerFeedbackWebhookTrigger,
	XCustomerFeedbackOAuth1Api: require('./dist/credentials/XCustomerFeedbackOAuth1Api.credentials.js')
		.XCustomerFeedbackOAuth1Api,
};
