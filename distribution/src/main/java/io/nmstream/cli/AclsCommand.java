package io.nmstream.cli;

import io.nmstream.common.cli.ClusterOptions;
import io.nmstream.common.config.Config;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.ServiceAcls;
import io.nmstream.reconciler.ReconcilerConfig;
import io.nmstream.status.projector.ProjectorSettings;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nmstream acls --namespace NS}: prints the {@code kafka-acls} commands that give each nmstream service its own
 * principal and only what it needs in that namespace (topics read and written, consumer groups, transactional ids).
 * Nothing is changed: an operator runs them with an admin's {@code --command-config}.
 */
@Command(name = "acls", mixinStandardHelpOptions = true,
    description = "Print the kafka-acls commands that grant each nmstream service (ingest, reconciler, agent, projector, "
        + "registry, bootstrap, viewer) the least it needs in a topic namespace. Changes nothing.")
public final class AclsCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--principal-prefix", paramLabel = "PREFIX", defaultValue = "nmstream-",
        description = "Prefix of each service's user name: User:<PREFIX>ingest, User:<PREFIX>reconciler, ... (default: ${DEFAULT-VALUE}).")
    String principalPrefix;

    @Option(names = "--command-config", paramLabel = "FILE", defaultValue = "admin.properties",
        description = "The admin client properties file the printed commands pass to kafka-acls (default: ${DEFAULT-VALUE}).")
    String commandConfig;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Config config = cluster.config();
        ClusterSettings settings = new ClusterSettings(config);
        ServiceAcls acls = new ServiceAcls(settings.topics(settings.registryClient()), config.get(ReconcilerConfig.APPLICATION_ID),
            config.get(ProjectorSettings.CLIENT_ID), principalPrefix);
        acls.kafkaAclsCommands(settings.bootstrapServers(), commandConfig).forEach(spec.commandLine().getOut()::println);
        return 0;
    }
}
